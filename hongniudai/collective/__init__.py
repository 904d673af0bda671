"""The village collective economy (村集体经济): the collective economic organisation and the
cooperatives it founds, their members and shares, and the decisions (四议两公开) that authorise
what they do. Land, production, distribution and the household's benefit build on it."""
