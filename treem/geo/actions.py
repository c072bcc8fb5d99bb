"""What can be done with villages. The values are `treem.accounts.policy.Action` members (the
policy refers to these constants), so the grants stay in the one policy table while geo, below
accounts, names them without importing it."""

VILLAGE_VIEW = "geo.village.view"
VILLAGE_CREATE = "geo.village.create"
