"""One identity across channels: LINK codes (rules), their storage and the flow that joins an address."""
