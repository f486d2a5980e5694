"""Business partners (buyers, sellers, brokers, transporters) with their KYC, places and people."""
