"""The channel-neutral conversation core: message types, keywords, flows. Pure: no I/O, no SDKs, no SQL."""
