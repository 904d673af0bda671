from django.urls import path

from . import views, views_self, views_users

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views_self.me, name="me"),
    path("me/password/", views_self.password_change, name="password_change"),
    path("me/tokens/<int:pk>/revoke/", views_self.token_revoke, name="token_revoke"),
    path("me/tokens/revoke-all/", views_self.tokens_revoke_all, name="tokens_revoke_all"),
    path("me/sign-out-elsewhere/", views_self.sign_out_elsewhere, name="sign_out_elsewhere"),
    path("users/", views_users.user_list, name="user_list"),
    path("users/<int:pk>/", views_users.user_detail, name="user_detail"),
    path("users/<int:pk>/deactivate/", views_users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views_users.user_reactivate, name="user_reactivate"),
]
