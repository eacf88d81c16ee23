"""Channel-agnostic conversations: inbound message -> core use cases -> reply objects."""
