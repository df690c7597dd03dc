from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import FormView

from baolei.core import params
from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import (
    ScopedDetailView,
    ScopedListView,
    ScopedViewMixin,
    acting_user,
    require,
)
from baolei.people import forms, idnumber, services
from baolei.people.filters import PersonFilter
from baolei.people.models import Person, id_number_key

#: Numbers are exported masked, like everywhere else; there is no unmasked export.
EXPORT_COLUMNS = [
    Column("姓名", lambda p: p.name, 12),
    Column("性别", lambda p: p.get_sex_display(), 6),
    Column("出生日期", lambda p: p.birth_date, 12),
    Column("民族", lambda p: p.ethnicity, 8),
    Column("文化程度", lambda p: p.get_education_display(), 10),
    Column("中共党员", lambda p: p.party_member, 8),
    Column("身份证号码", lambda p: p.id_number_masked, 22),
    Column("联系电话", lambda p: p.phone_masked, 14),
    Column("区划代码", lambda p: p.region.code, 14),
    Column("所属村（社区）", lambda p: p.region.name, 16),
    Column("备注", lambda p: p.note, 30),
]


class PersonListView(ScopedListView):
    model = Person
    template_name = "people/person_list.html"
    filterset_class = PersonFilter
    sort_fields = {
        "name": "name",
        "birth": "birth_date",
        "region": "region__code",
        "created": "created_at",
    }
    default_sort = "name"
    export_title = "人员信息表"
    export_columns = EXPORT_COLUMNS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if params.text(request, "id_number"):
            return self.redirect_to_key(request)
        return super().get(request, *args, **kwargs)

    def redirect_to_key(self, request: HttpRequest) -> HttpResponse:
        """Swap a typed ID number for its keyed hash, so the number stays out of URLs."""
        query = request.GET.copy()
        typed = query.pop("id_number")[-1]
        query.pop("page", None)
        try:
            query["id_key"] = id_number_key(idnumber.validate(typed))
        except idnumber.IdNumberError as exc:
            messages.error(request, exc.message)
            query["id_key"] = "invalid"
        return HttpResponseRedirect(f"?{query.urlencode()}")

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        key = params.text(self.request, "id_key")
        rows = rows.filter(id_number_hash=key) if key else rows
        return rows.select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        context["id_filtered"] = bool(query.pop("id_key", None))
        query.pop("page", None)
        context["query_without_id"] = query.urlencode()
        context["can_edit"] = acting_user(self.request).has_role(*services.EDITORS)
        return context


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("region__parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        context["history_rows"] = history_rows(self.object)
        context["can_unmask"] = services.can_unmask(user)
        context["can_edit"] = user.has_role(*services.EDITORS)
        return context


class PersonCreateView(ServiceFormMixin, FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的村（社区），写入由 services 再次核对范围"
    permission = "people.edit"
    template_name = "people/person_form.html"
    form_class = forms.PersonForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form: Any) -> HttpResponse:
        person = services.create_person(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已登记人员 {person.name}。")
        return redirect("people:detail", pk=person.pk)


class PersonEditView(ScopedViewMixin, PersonCreateView):
    model = Person
    form_class = forms.EditPersonForm  # type: ignore[assignment]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.person = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        # Asked of this person, as the API's edit is (the same entry if refused).
        require(request, "people.edit", self.person, {"action": "edit", "record": self.person.pk})
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"person": self.person}

    def get_initial(self) -> dict[str, Any]:
        return forms.EditPersonForm.initial_for(self.person)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"person": self.person}

    def perform(self, form: Any) -> HttpResponse:
        services.update_person(
            actor=acting_user(self.request), person=self.person, **form.changes()
        )
        messages.success(self.request, f"已保存人员信息：{self.person.name}。")
        return redirect("people:detail", pk=self.person.pk)


class RevealNumberView(ActionView):
    """查看完整号码: htmx swaps the masked number for the full one in place."""

    model = Person
    record_name = "person"
    default_action = "reveal"
    actions: ClassVar[dict[str, Operation]] = {
        "reveal": Operation(
            services.reveal_number, forms.RevealForm, "", permission="people.reveal"
        ),
    }

    def arguments(self, name: str, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        return data | {"request": self.request}

    def refusal_detail(self, name: str, record: Any) -> dict[str, Any]:
        return {"person": record.pk, "field": self.request.POST.get("field", "")}

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        if errors:
            return HttpResponseBadRequest("；".join(errors))
        field = self.request.POST["field"]
        response = render(self.request, "people/_number.html", {"field": field, "value": result})
        add_never_cache_headers(response)
        return response
