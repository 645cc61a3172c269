"""Feed re-rendering in answer to published changes (connected in DistributionConfig.ready)."""
