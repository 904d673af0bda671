"""Resident services (便民服务): the service stations and the requests they handle, the soup rounds
(爱心汤) and the mass organisations' activities. One module per part, gathered here."""
