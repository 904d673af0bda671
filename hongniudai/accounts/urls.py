from django.urls import include, path

from . import views, views_invite, views_self

app_name = "accounts"

# The signed-in user's own account.
me_patterns = [
    path("", views_self.me, name="me"),
    path("password/", views_self.password_change, name="password_change"),
    path("tokens/<int:pk>/revoke/", views_self.token_revoke, name="token_revoke"),
    path("tokens/revoke-all/", views_self.tokens_revoke_all, name="tokens_revoke_all"),
    path("sign-out-elsewhere/", views_self.sign_out_elsewhere, name="sign_out_elsewhere"),
]

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", include(me_patterns)),
    path("invite/<str:key>/", views_invite.invitation, name="invitation"),
]
