"""Open311 GeoReport v2 at /open311/v2/: categories as services, matters as service requests.

Machines talk to it, not people: no session, no CSRF; writes need an api_key issued by a town
administrator (`services.issue_open311_key`). It shows only public fields of public categories,
and a signed-in web session never widens what it shows."""
