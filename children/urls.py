# Screens of this app are added by their own issue; the project includes this module now.
urlpatterns: list = []
