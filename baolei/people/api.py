"""People API: the records of persons (numbers masked), and their registration and
correction by an agency's system through the same service and rule as the person pages."""

from __future__ import annotations

from typing import Any, ClassVar, cast

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.core.api import DayField, ScopedViewSetMixin, example
from baolei.core.filters import FilterSet
from baolei.core.views_base import require
from baolei.people import services
from baolei.people.models import Education, Person, Sex
from baolei.regions.models import VILLAGE_LEVELS, Region


class PersonSerializer(serializers.ModelSerializer):
    """Numbers only masked: the full values are shown, logged, on the person's page."""

    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)
    education_display = serializers.CharField(source="get_education_display", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number_masked",
            "sex",
            "sex_display",
            "birth_date",
            "ethnicity",
            "education",
            "education_display",
            "party_member",
            "phone_masked",
            "region",
            "region_name",
            "note",
            "created_at",
        ]


class PersonApiFilter(FilterSet):
    name = django_filters.CharFilter(lookup_expr="contains")
    id_number = django_filters.CharFilter(method="filter_id_number")
    within = django_filters.CharFilter(method="filter_within")
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    education = django_filters.ChoiceFilter(choices=Education.choices)
    party_member = django_filters.BooleanFilter()

    class Meta:
        model = Person
        fields = ["name", "id_number", "within", "sex", "education", "party_member"]

    def filter_id_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_id_number(value)  # type: ignore[attr-defined]

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        region = Region.objects.filter(code=value).first()
        return queryset.filter(region__code__under=region.prefix) if region else queryset.none()


@extend_schema_field({"type": "string", "pattern": "^[0-9]{12}$"})
class VillageField(serializers.SlugRelatedField):
    """A village or community by its code, among those the user sees."""

    default_error_messages = {
        "does_not_exist": "区划代码 {value} 不存在，或不是您范围内的村（社区）。",
        "invalid": "区划代码格式不正确。",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> Any:
        user = self.context["user"]
        return Region.objects.visible_to(user).filter(level__in=VILLAGE_LEVELS)


class PersonWriteSerializer(serializers.Serializer):
    """The person page's fields; an ID number is checked (GB 11643, registered once,
    agreeing with birth date and sex) by the same service as the page."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="18位，旧证15位亦可"
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    birth_date = DayField(required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    party_member = serializers.BooleanField(required=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    region = VillageField(help_text="所属村（社区）的区划代码")
    note = serializers.CharField(required=False, allow_blank=True)


class PersonEditSerializer(PersonWriteSerializer):
    """Only the fields given change; ``"id_number": ""`` or ``"phone": ""`` removes the number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class PersonViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """人员信息：按当前用户可见范围过滤；身份证号码和联系电话只给出脱敏形式。

    `within` 为区划代码（含下级区划），`id_number` 按检索码精确查找。POST 登记人员，
    ``edit`` 修改人员信息（只改所给字段），与页面相同，由同一规则把关：身份证号码须有效、
    未被登记过，且与出生日期、性别一致。"""

    policy_actions: ClassVar[dict[str, str]] = {"edit": "people.edit"}
    record_name = "person"
    queryset = Person.objects.select_related("region")
    serializer_class = PersonSerializer
    filterset_class = PersonApiFilter
    ordering_fields = ["name", "birth_date", "region__code", "created_at"]
    ordering = ["name", "id"]
    search_fields = ["name"]

    def answer(self, person: Person, code: int = status.HTTP_200_OK) -> Response:
        return Response(PersonSerializer(self.get_queryset().get(pk=person.pk)).data, status=code)

    @extend_schema(
        request=PersonWriteSerializer,
        responses={201: PersonSerializer},
        examples=example(
            "登记一名犯罪嫌疑人",
            {
                "name": "李某某",
                "id_number": "510121198503021234",
                "region": "510121100200",
                "phone": "13800000000",
                "note": "甲公刑〔2026〕15号案犯罪嫌疑人",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "people.edit")
        form = PersonWriteSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        person = services.create_person(actor=cast(User, request.user), **form.validated_data)
        return self.answer(person, status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonEditSerializer,
        responses={200: PersonSerializer},
        examples=example(
            "补录联系电话、更正文化程度", {"phone": "13900000000", "education": "senior_secondary"}
        ),
    )
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, PersonEditSerializer, services.update_person))
