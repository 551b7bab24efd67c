"""The Contracts area: contracts made from accepted quotes, their review, the offline
signing path, payments received (回款), service commitments and return visits (回访)."""
