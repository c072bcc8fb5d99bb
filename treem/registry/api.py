"""REST API of the registry, mirroring the services: list and search (scoped), detail, duplicate
check, registration. Explicit input and output serializers per endpoint."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record
from treem.core.api import ErrorSerializer
from treem.core.parsing import parse_id
from treem.registry import access, selectors, services
from treem.registry.cleaning import GeoLookup, child_clean
from treem.registry.models import (
    CircumstanceGroup,
    DuplicateDecision,
    Relationship,
    SchoolStatus,
    Sex,
)

# --- output -----------------------------------------------------------------------------------


class ChildListOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_date = serializers.DateField()
    birth_date_precision = serializers.CharField()
    sex = serializers.CharField()
    commune = serializers.CharField(source="commune_id")
    commune_name = serializers.CharField(source="commune.name")
    village = serializers.IntegerField(source="village_id", allow_null=True)


class ChildPageOut(serializers.Serializer):
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = ChildListOut(many=True)


class CarerOut(serializers.Serializer):
    full_name = serializers.CharField(source="person.full_name")
    relationship = serializers.CharField()
    is_primary_carer = serializers.BooleanField()
    lives_with_child = serializers.BooleanField()


class CircumstanceOut(serializers.Serializer):
    group = serializers.CharField()
    subgroup = serializers.CharField(source="subgroup.code", allow_null=True, default=None)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    confirmed_by = serializers.CharField()


class ConsentOut(serializers.Serializer):
    given_by = serializers.CharField()
    scope = serializers.CharField()
    given_on = serializers.DateField()
    withdrawn_on = serializers.DateField(allow_null=True)


class ChildDetailOut(ChildListOut):
    other_names = serializers.CharField()
    birth_registration = serializers.CharField()
    address = serializers.CharField()
    current_commune = serializers.CharField(source="current_commune_id", allow_null=True)
    current_address = serializers.CharField()
    school_status = serializers.CharField()
    school_name = serializers.CharField()
    grade = serializers.CharField()
    legal_basis = serializers.CharField()
    processing_restricted = serializers.BooleanField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    carers = CarerOut(many=True)
    circumstances = CircumstanceOut(many=True)
    consents = ConsentOut(many=True)
    # Sensitive fields: null unless the role may see them (CHILD_VIEW_SENSITIVE).
    ethnicity = serializers.CharField(allow_null=True)
    id_number = serializers.CharField(allow_null=True)
    health_insurance_number = serializers.CharField(allow_null=True)
    disability_type = serializers.CharField(allow_null=True)
    disability_severity = serializers.CharField(allow_null=True)
    nutrition_status = serializers.CharField(allow_null=True)

    _SENSITIVE = (
        "ethnicity",
        "id_number",
        "health_insurance_number",
        "disability_type",
        "disability_severity",
        "nutrition_status",
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("sensitive"):
            for name in self._SENSITIVE:
                data[name] = None
        return data


class EvidenceOut(serializers.Serializer):
    field = serializers.CharField()
    level = serializers.CharField()
    similarity = serializers.FloatField(allow_null=True, required=False)
    weight = serializers.FloatField(required=False)
    value = serializers.CharField(required=False)
    other_value = serializers.CharField(required=False)


class MatchOut(serializers.Serializer):
    child_id = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    visible = serializers.BooleanField()
    commune = serializers.CharField()
    evidence = EvidenceOut(many=True)


class MatchesOut(serializers.Serializer):
    matches = MatchOut(many=True)


class DuplicatesConflictOut(serializers.Serializer):
    error = ErrorSerializer._Inner()
    matches = MatchOut(many=True)


# --- input ------------------------------------------------------------------------------------


class CarerIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_primary_carer = serializers.BooleanField(required=False, default=False)


class ChildIn(serializers.Serializer):
    """Values as a person would type them; the registry's own rules validate them."""

    full_name = serializers.CharField(max_length=150, allow_blank=True)
    other_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    birth_date = serializers.CharField(
        help_text="dd/mm/yyyy, mm/yyyy, yyyy or yyyy-mm-dd", allow_blank=True
    )
    sex = serializers.CharField(max_length=10, allow_blank=True)
    ethnicity = serializers.CharField(required=False, allow_blank=True, max_length=30)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=60)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    birth_registration = serializers.CharField(required=False, allow_blank=True, max_length=30)
    commune = serializers.CharField(max_length=5, allow_blank=True)
    village = serializers.IntegerField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    current_commune = serializers.CharField(required=False, allow_blank=True, max_length=5)
    current_address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    school_status = serializers.CharField(required=False, allow_blank=True, max_length=30)
    school_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    grade = serializers.CharField(required=False, allow_blank=True, max_length=20)
    health_insurance_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    disability_type = serializers.CharField(required=False, allow_blank=True, max_length=30)
    disability_severity = serializers.CharField(required=False, allow_blank=True, max_length=30)
    nutrition_status = serializers.CharField(required=False, allow_blank=True, max_length=30)
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=30)
    carers = CarerIn(many=True, required=False)
    poverty_status = serializers.CharField(required=False, allow_blank=True, max_length=20)


class RegisterIn(ChildIn):
    decision = serializers.ChoiceField(
        choices=DuplicateDecision.Decision.choices,
        required=False,
        help_text="Omit to be shown likely duplicates (409); 'new' or 'linked' with link_to.",
    )
    link_to = serializers.IntegerField(required=False, allow_null=True)


class RegisterOut(serializers.Serializer):
    id = serializers.IntegerField()
    created = serializers.BooleanField()
    matches = MatchOut(many=True)


def _split(data: dict) -> tuple[dict, list[dict], str]:
    data = dict(data)
    carers = data.pop("carers", [])
    poverty = data.pop("poverty_status", "")
    data.pop("decision", None)
    data.pop("link_to", None)
    return data, carers, poverty


# --- views ------------------------------------------------------------------------------------

_LIST_PARAMS = [
    OpenApiParameter("q", str, description="Name (accent-insensitive prefix) or ID number"),
    OpenApiParameter("guardian", str, description="Parent or carer name (prefix)"),
    OpenApiParameter("commune", str),
    OpenApiParameter("village", int),
    OpenApiParameter("age_group", str, enum=list(selectors.AGE_GROUPS)),
    OpenApiParameter("sex", str, enum=Sex.values),
    OpenApiParameter("circumstance", str, enum=CircumstanceGroup.values),
    OpenApiParameter("school_status", str, enum=SchoolStatus.values),
    OpenApiParameter(
        "page", int, description=f"1 to {selectors.MAX_PAGE}; past the last page: 404 invalid page"
    ),
]

_INVALID_PAGE = gettext_lazy("Trang không hợp lệ. Hãy quay về trang 1 của danh sách.")


class ChildListAPI(APIView):
    @extend_schema(
        parameters=_LIST_PARAMS,
        operation_id="registry_children_list",
        responses={200: ChildPageOut, 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["registry"],
    )
    def get(self, request):
        """Active children (under 16) in the caller's jurisdiction, 50 a page, by name.

        No total is given: `has_next` says whether another page follows (a count over a
        province's million children costs more than the page)."""
        p = request.query_params
        village = p.get("village")
        filters = selectors.ChildFilters(
            query=p.get("q", ""),
            guardian=p.get("guardian", ""),
            commune=p.get("commune", ""),
            village=parse_id(village, name="village"),
            age_group=p.get("age_group", ""),
            sex=p.get("sex", ""),
            circumstance=p.get("circumstance", ""),
            school_status=p.get("school_status", ""),
        )
        # As DRF's page-number paginator: a page that is not a whole number from 1, or lies past
        # the end of the list, is 404 "invalid page" (page 1 of an empty list is an empty page).
        try:
            page = selectors.page_number(p.get("page"))
        except selectors.InvalidPage:
            raise NotFound(_INVALID_PAGE) from None
        qs = selectors.children_for_user(
            user=request.user, filters=filters, today=services.today_local()
        )
        rows, has_next = selectors.children_page(qs, page=page)
        if page > 1 and not rows:
            raise NotFound(_INVALID_PAGE)
        if filters.query or filters.guardian:
            audit_record(
                actor=request.user,
                action="search",
                object_type="registry.child",
                details={**filters.as_audit(), "results": len(rows), "api": True},
            )
        return Response(ChildPageOut({"page": page, "has_next": has_next, "results": rows}).data)


class ChildDetailAPI(APIView):
    @extend_schema(
        operation_id="registry_children_detail",
        responses={200: ChildDetailOut, 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["registry"],
    )
    def get(self, request, pk: int):
        child = access.child_get_for_user(user=request.user, pk=pk, details={"api": True})
        ctx = {"sensitive": can(request.user, Action.CHILD_VIEW_SENSITIVE)}
        return Response(ChildDetailOut(child, context=ctx).data)


class DuplicateCheckAPI(APIView):
    @extend_schema(
        request=ChildIn,
        responses={200: MatchesOut, 400: ErrorSerializer, 403: ErrorSerializer},
        tags=["registry"],
    )
    def post(self, request):
        """Likely duplicates of a child about to be registered, with per-field evidence."""
        require(request.user, Action.CHILD_CHANGE)
        s = ChildIn(data=request.data)
        s.is_valid(raise_exception=True)
        raw, carers, _poverty = _split(s.validated_data)
        values, errors = child_clean(
            raw,
            geo=GeoLookup.load(request.user.jurisdiction.province_code),
            today=services.today_local(),
        )
        if errors:
            raise ValidationError(errors)
        carer_values, _errs = services.carers_clean(carers)
        matches = services.duplicates_check(user=request.user, values=values, carers=carer_values)
        return Response({"matches": [m.as_json() for m in matches]})


class ChildRegisterAPI(APIView):
    @extend_schema(
        request=RegisterIn,
        responses={
            201: RegisterOut,
            200: RegisterOut,
            400: ErrorSerializer,
            403: ErrorSerializer,
            409: DuplicatesConflictOut,
        },
        tags=["registry"],
    )
    def post(self, request):
        """Register a child. Likely duplicates answer 409 with the matches and nothing is saved;
        send again with `decision` ("new", or "linked" with `link_to`)."""
        require(request.user, Action.CHILD_CHANGE)
        s = RegisterIn(data=request.data)
        s.is_valid(raise_exception=True)
        raw, carers, poverty = _split(s.validated_data)
        try:
            result = services.child_register(
                actor=request.user,
                raw=raw,
                carers=carers,
                poverty_status=poverty,
                decision=s.validated_data.get("decision"),
                link_to=s.validated_data.get("link_to"),
                source=DuplicateDecision.Source.API,
            )
        except services.DuplicatesFound as exc:
            return Response(
                {
                    "error": {
                        "code": "likely_duplicates",
                        "message": "Có thể trẻ này đã có trong sổ. Hãy xem danh sách và gửi lại "
                        "với decision “new” hoặc “linked”.",
                    },
                    "matches": [m.as_json() for m in exc.matches],
                },
                status=status.HTTP_409_CONFLICT,
            )
        body = {
            "id": result.child.pk,
            "created": result.created,
            "matches": [m.as_json() for m in result.matches],
        }
        return Response(body, status=201 if result.created else 200)
