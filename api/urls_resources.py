"""Catalogue, candidates and applications URLs."""
urlpatterns: list = []
