"""Partner push in answer to published changes (connected in DistributionConfig.ready)."""
