"""Channel adapters: thin transports between a provider and the channel-neutral core."""
