from __future__ import annotations

import base64
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts import services
from treem.accounts.forms import LoginForm, PasswordResetForm, TokenForm, UserCreateForm, UserForm
from treem.accounts.selectors import user_get_for_user, users_list
from treem.core.auditing import audit_record
from treem.core.forms import apply_validation_error

_PENDING_USER = "treem_pending_user"
_PENDING_BACKEND = "treem_pending_backend"
_PENDING_NEXT = "treem_pending_next"
_TOKEN_ATTEMPTS = "treem_token_attempts"  # noqa: S105 - a session key, not a secret
MAX_TOKEN_ATTEMPTS = 5


def _safe_next(request, fallback: str = "core:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


def lockout_response(request, original_response=None, credentials=None):
    return render(
        request,
        "accounts/locked.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )


def _audit_failed_login(typed_username: str) -> None:
    """Record a failed login without what was typed: people type their password into the
    username box, and the log is read by others. An attempt on an existing account is recorded
    against that account (so an administrator sees who is being guessed at); any other attempt
    says only that no account matched."""
    account = get_user_model().objects.filter(username=typed_username).first()
    if account is not None:
        audit_record(actor=None, action="login_failed", obj=account)
    else:
        audit_record(
            actor=None,
            action="login_failed",
            object_type="accounts.user",
            details={"known_account": False},
        )


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            _audit_failed_login(username)
            form.add_error(
                None,
                _(
                    "Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại; sau nhiều lần sai "
                    "liên tiếp, tài khoản sẽ bị tạm khoá."
                ),
            )
        else:
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                request.session[_PENDING_USER] = user.pk
                request.session[_PENDING_BACKEND] = user.backend
                request.session[_PENDING_NEXT] = _safe_next(request)
                request.session[_TOKEN_ATTEMPTS] = 0
                return redirect("accounts:login_token")
            login(request, user)
            audit_record(actor=user, action="login", obj=user)
            return redirect(_safe_next(request))
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_http_methods(["GET", "POST"])
def login_token_view(request):
    user_id = request.session.get(_PENDING_USER)
    if not user_id:
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        request.session.flush()
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        device = next(
            (
                d
                for d in TOTPDevice.objects.filter(user=user, confirmed=True)
                if d.verify_token(token)
            ),
            None,
        )
        if device is None:
            attempts = request.session.get(_TOKEN_ATTEMPTS, 0) + 1
            request.session[_TOKEN_ATTEMPTS] = attempts
            audit_record(
                actor=None, action="login_failed", obj=user, details={"second_factor": True}
            )
            if attempts >= MAX_TOKEN_ATTEMPTS:
                request.session.flush()
                messages.error(request, _("Nhập sai mã xác thực quá nhiều lần. Hãy đăng nhập lại."))
                return redirect("accounts:login")
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới."))
        else:
            next_url = request.session.get(_PENDING_NEXT) or "/"
            user.backend = request.session.get(_PENDING_BACKEND)
            login(request, user)
            otp_login(request, device)
            audit_record(actor=user, action="login", obj=user, details={"second_factor": True})
            return redirect(next_url)
    return render(request, "accounts/login_token.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="logout", obj=request.user)
    logout(request)
    return redirect("accounts:login")


def _qr_data_uri(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request):
    """Enrol a TOTP authenticator: scan the QR code, then type one code to confirm."""
    device_id = request.session.get("treem_enrol_device")
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    if device is None:
        device = services.totp_device_create(user=request.user)
        request.session["treem_enrol_device"] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            request.session.pop("treem_enrol_device", None)
            messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản của bạn."))
            return redirect("core:dashboard")
        form.add_error("token", _("Mã xác thực không đúng. Hãy nhập mã đang hiện trên ứng dụng."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": secret, "qr": _qr_data_uri(device.config_url)},
    )


# --- User management (system administrators) ----------------------------------------------------


@login_required
def user_list_view(request):
    query = request.GET.get("q", "").strip()
    users = users_list(user=request.user, query=query)
    if query:
        audit_record(
            actor=request.user,
            action="search",
            object_type="accounts.user",
            details={"query_length": len(query)},
        )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    # htmx live search swaps only the results; without JavaScript the form reloads the page.
    template = (
        "accounts/_user_results.html"
        if request.headers.get("HX-Request")
        else "accounts/user_list.html"
    )
    return render(request, template, {"page": page, "query": query})


def _province_code(request) -> str:
    return request.user.province_id or settings.TREEM_PROVINCE_CODE


@login_required
@require_http_methods(["GET", "POST"])
def user_create_view(request):
    users_list(user=request.user)  # permission check
    form = UserCreateForm(request.POST or None, province_code=_province_code(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
                province=data["province"],
                commune=data["commune"],
                villages=list(data["villages"]),
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Đã tạo tài khoản %(username)s.") % {"username": user.username}
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail_view(request, pk: int):
    target = user_get_for_user(user=request.user, pk=pk)
    initial = {
        "full_name": target.full_name,
        "email": target.email,
        "phone": target.phone,
        "role": target.role,
        "organisation": target.organisation_id,
        "province": target.province_id,
        "commune": target.commune_id,
        "villages": list(target.villages.values_list("id", flat=True)),
        "is_active": target.is_active,
        "version": target.version,
    }
    form = UserForm(request.POST or None, initial=initial, province_code=_province_code(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        villages = list(data.pop("villages"))
        expected = data.pop("version") or 0
        try:
            services.user_update(
                actor=request.user,
                user=target,
                expected_version=expected,
                data=data,
                villages=villages,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("accounts:user_detail", pk=target.pk)
    else:
        audit_record(actor=request.user, action="view", obj=target)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "has_device": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
            "password_form": PasswordResetForm(),
        },
    )


@login_required
@require_POST
def user_password_view(request, pk: int):
    target = user_get_for_user(user=request.user, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=target, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("password", exc.messages):
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đặt mật khẩu mới."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_unlock_view(request, pk: int):
    target = user_get_for_user(user=request.user, pk=pk)
    services.user_unlock(actor=request.user, user=target)
    messages.success(request, _("Đã mở khoá đăng nhập cho tài khoản này."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reset_2fa_view(request, pk: int):
    target = user_get_for_user(user=request.user, pk=pk)
    services.totp_device_reset(actor=request.user, user=target)
    messages.success(
        request, _("Đã xoá xác thực hai lớp; người dùng sẽ đăng ký lại khi đăng nhập.")
    )
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
def user_access_log_view(request, pk: int):
    """Who viewed or changed this account: the audit page, filtered to it."""
    target = user_get_for_user(user=request.user, pk=pk)
    query = urlencode({"object_type": "accounts.user", "object_id": target.pk})
    return redirect(f"{reverse('audit:event_list')}?{query}")


@login_required
def profile_view(request):
    return render(
        request,
        "accounts/profile.html",
        {"has_device": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()},
    )
