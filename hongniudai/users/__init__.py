"""People and roles: a town administrator onboards and manages the platform's users under their node
(create with a role and a one-time password or invitation, edit, grant and end roles, reset, deactivate),
links each to the resident and party member they are, and imports and exports them. The rules of who
may grant what where live in `accounts.policy`; the writes in `accounts.services_users`. This package
sits above places and party so that its forms and API can name area nodes, party organisations and
residents."""
