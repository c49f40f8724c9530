"""Who may call an endpoint: Django's model permissions, or a named set of permissions."""

from rest_framework.permissions import BasePermission, DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django's model permissions, with reading guarded by the "view" permission too.

    So Marketing (view permissions) reads, and staff (add/change/delete) also write.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def requires(*permissions: str) -> type[BasePermission]:
    """A permission class granting access to users who hold every one of ``permissions``."""

    class HasPermissions(BasePermission):
        message = "Your account does not have permission for this."

        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.has_perms(permissions))

    HasPermissions.__name__ = "Requires_" + "_".join(p.split(".")[-1] for p in permissions)
    return HasPermissions
