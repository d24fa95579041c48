"""The Orders page: the marketplace's live order queue, order detail and actions."""
