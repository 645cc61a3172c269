"""The wire-copy pipeline, in pure Python (no Django, no project app).

Stages, in the order the data flows: layout (headline, dateline, subheads, paragraphs,
credit lines), quotes, cues, speakers, coreference, the story's sources, and checks (the
attribution audit). Typed values pass between stages; a plain dict exists only at the
JSON edge of the wire-import contract.
"""
