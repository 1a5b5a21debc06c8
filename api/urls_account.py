"""Sign-in, registration and own-data URLs."""
urlpatterns: list = []
