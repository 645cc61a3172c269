# One image for every Newsroom process: web (gunicorn), worker and beat (Celery).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Requirements first, so a code change does not reinstall every package.
COPY requirements/ requirements/
RUN pip install -r requirements/prod.txt

COPY . .

# Production settings refuse to load without these; collectstatic reads no secret, so
# throw-away values stand in for this one step and are not kept in the image's environment.
RUN DJANGO_DEBUG=0 \
    SECRET_KEY=collectstatic-only \
    SOURCE_ENCRYPTION_KEYS=collectstatic-only \
    NEWSROOM_DATA_DIR=/tmp/collectstatic \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/collectstatic

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin newsroom \
    && mkdir -p /app/data \
    && chown newsroom /app/data
USER newsroom

EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
