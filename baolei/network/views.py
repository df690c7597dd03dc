from __future__ import annotations

from io import BytesIO
from typing import Any, ClassVar
from urllib.parse import quote

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from baolei.clues import services as clue_services
from baolei.clues.forms import ClueForm
from baolei.clues.models import Category, Source
from baolei.core import params, policy, security_log
from baolei.core.exports import XLSX, Column, build_workbook, cell_value, xlsx_cell
from baolei.core.import_jobs import QueuedImportMixin
from baolei.core.importing import keep_errors
from baolei.core.outcomes import ActionView, Operation, ServiceFormMixin
from baolei.core.views_base import PolicyRequiredMixin, ScopedListView, acting_user
from baolei.network import forms, reading, services
from baolei.network.importing import import_relations
from baolei.network.models import Decision, Identity, Kind, Relation
from baolei.network.queries import NODE_CAP, NODE_KINDS, PERSON, Graph

SCOPE = "节点与连线只通过人员、案件、线索、任职与人员关系各自的 visible_to(user) 读出"

NODE_COLUMNS = [
    Column("节点", lambda n: n.key, 14),
    Column("类型", lambda n: NODE_KINDS[n.kind], 10),
    Column("名称", lambda n: n.label, 24),
    Column("说明", lambda n: n.detail, 48),
    Column("区划代码", lambda n: n.region, 14),
    Column("在任村干部", lambda n: n.cadre, 10),
]
EDGE_COLUMNS = [
    Column("连线", lambda e: e.key, 14),
    Column("起点", lambda e: e.source, 14),
    Column("终点", lambda e: e.target, 14),
    Column("类型", lambda e: e.kind_label, 16),
    Column("关系", lambda e: e.label, 24),
    Column("日期", lambda e: e.on, 12),
]


def workbook(graph: Graph) -> bytes:
    """Nodes and edges as two sheets in the office layout, text cleaned for Excel."""
    book = build_workbook("关系网络节点", NODE_COLUMNS, graph.nodes.values())
    edges = build_workbook("关系网络连线", EDGE_COLUMNS, graph.edges.values()).active
    sheet = book.create_sheet(edges.title)
    for row in edges.iter_rows(values_only=True):
        sheet.append([xlsx_cell(cell_value(value)) for value in row])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class NetworkView(TemplateView):
    """关系网络：the graph drawn with ECharts, its nodes and edges as tables below."""

    scope_exempt = SCOPE
    template_name = "network/network.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = acting_user(request)
        ask = reading.read_ask(request, user)
        graph = reading.answer(user, ask)
        if params.choice(request, "export", ["xlsx"]) and ask.start:
            return self.export(request, graph)
        return self.render_to_response(self.get_context_data(ask=ask, graph=graph))

    def export(self, request: HttpRequest, graph: Graph) -> HttpResponse:
        security_log.record(
            security_log.EXPORT,
            request=request,
            target="关系网络",
            detail={"path": request.get_full_path(), "rows": len(graph.nodes) + len(graph.edges)},
        )
        response = HttpResponse(workbook(graph), content_type=XLSX)
        filename = quote(f"关系网络_{timezone.localdate():%Y%m%d}.xlsx")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        ask, graph = context["ask"], context["graph"]
        query = reading.query_of(ask)
        nodes = graph.nodes
        context.update(
            form=forms.NetworkForm(shown_query(self.request, ask), user=user),
            data=reading.as_json(graph),
            query=query,
            node_cap=NODE_CAP,
            echarts=bool(finders.find("echarts/echarts.min.js")),
            edges=[(e, nodes[e.source], nodes[e.target]) for e in graph.edges.values()],
            may_add=policy.allows(user, "network.add"),
            may_register=policy.allows(user, "clues.register"),
            removable=removable(user, graph),
        )
        return context


def shown_query(request: HttpRequest, ask: reading.Ask) -> Any:
    """The form's values: what was asked, with the steps the walk took by default."""
    data = request.GET.copy()
    data.setdefault("hops", str(ask.hops))
    return data


def removable(user: Any, graph: Graph) -> set[int]:
    """The relations of the graph the user may remove (one query for all of them)."""
    keys = [e.relation for e in graph.edges.values() if e.relation is not None]
    if not keys or not policy.allows(user, "network.add"):
        return set()
    rows = Relation.objects.visible_to(user).filter(pk__in=keys).select_related("region")
    return {r.pk for r in rows if policy.allows(user, "network.remove", r)}


class RelationCreateView(ServiceFormMixin, FormView):
    scope_exempt = "表单只列出 visible_to(user) 中的人员，add_relation 再次核对范围"
    permission = "network.add"
    template_name = "network/relation_form.html"
    form_class = forms.RelationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        person = params.identifier(self.request, "person")
        return {"person_a": person} if person is not None else {}

    def perform(self, form: Any) -> HttpResponse:
        relation = services.add_relation(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已登记人员关系：{relation.kind_label}。")
        return redirect(f"{reverse('network:graph')}?person={relation.person_a_id}&hops=1")


class RelationActionView(ActionView):
    """删除 a relation; the record history keeps it."""

    model = Relation
    record_name = "relation"
    actions: ClassVar[dict[str, Operation]] = {
        "remove": Operation(
            services.remove_relation,
            done="已删除人员关系",
            permission="network.remove",
            title="删除",
            confirm="确定删除这条人员关系？",
        ),
    }

    def back_to(self, record: Any, result: Any) -> str:
        return f"{reverse('network:graph')}?person={record.person_a_id}&hops=1"


class RelationImportView(PolicyRequiredMixin, QueuedImportMixin, TemplateView):
    import_title = "人员关系导入"
    scope_exempt = "导入只接受 visible_to(user) 中的人员"
    permission = "network.add"
    template_name = "network/import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"kinds": "、".join(Kind.labels)}

    def post(self, request: HttpRequest) -> HttpResponse:
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_to_response(self.get_context_data(error="请选择 .xlsx 文件。"))
        report = import_relations(upload, actor=acting_user(request), filename=upload.name or "")
        if report.errors:
            keep_errors(request, "人员关系导入", report)
            return self.render_to_response(self.get_context_data(report=report))
        messages.success(request, f"已导入 {report.created} 条人员关系。")
        return redirect("network:graph")


class ClueFromLinkView(ServiceFormMixin, FormView):
    """A link found in the graph opens a clue (背景审查发现) whose summary names the graph
    view that showed it, so the clue leads back to the network."""

    scope_exempt = "表单只列出 visible_to(user) 中的区划与人员，register_clue 再次核对范围"
    permission = "clues.register"
    template_name = "network/clue_form.html"
    form_class = ClueForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        user = acting_user(self.request)
        ask = reading.read_ask(self.request, user)
        graph = reading.answer(user, ask)
        persons = [n for n in graph.nodes.values() if n.kind == PERSON]
        chosen = [n for n in persons if n.key in graph.highlighted_nodes] or persons[:2]
        wanted = self.request.GET.getlist("node")
        if wanted:
            chosen = [n for n in persons if n.key in wanted]
        url = self.request.build_absolute_uri(f"{reverse('network:graph')}?{reading.query_of(ask)}")
        cadres = any(n.cadre for n in chosen)
        names = "、".join(n.label for n in chosen)
        finding = graph.finding or (f"关系网络显示 {names} 之间存在关联。" if chosen else "")
        return {
            "received_on": timezone.localdate(),
            "source": Source.VETTING_HIT,
            "category": Category.UMBRELLA if cadres else Category.GANG,
            "summary": f"{finding}\n关系网络：{url}".strip(),
            "persons": [n.id for n in chosen],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ask = reading.read_ask(self.request, acting_user(self.request))
        context["back"] = f"{reverse('network:graph')}?{reading.query_of(ask)}"
        return context

    def perform(self, form: Any) -> HttpResponse:
        clue = clue_services.register_clue(actor=acting_user(self.request), **form.cleaned_data)
        messages.success(self.request, f"已登记 {clue.number}。")
        return redirect("clues:detail", pk=clue.pk)


class IdentityListView(ScopedListView):
    """同一人候选: pending ones first, the most alike first."""

    model = Identity
    template_name = "network/identity_list.html"

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(
            "person__region", "other__region", "decided_by", "found_by"
        ).order_by("decision", "-score", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        context.update(
            may_find=policy.allows(user, "network.find"),
            may_decide=policy.allows(user, "network.decide"),
            note_form=forms.NoteForm(),
            dismiss_form=forms.DismissForm(),
        )
        return context


class IdentityFindView(PolicyRequiredMixin, View):
    """Matches the persons without an ID number in the user's scope (POST only)."""

    scope_exempt = "只比对 visible_to(user) 中的人员"
    permission = "network.find"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        added = services.find_same_persons(actor=acting_user(request))
        messages.success(request, f"新发现同一人候选 {added} 对。")
        return redirect("network:identities")


class IdentityActionView(ActionView):
    """确认 or 排除 a candidate for the same person."""

    model = Identity
    record_name = "identity"
    actions: ClassVar[dict[str, Operation]] = {
        "confirm": Operation(
            lambda *, actor, identity, note: services.decide_identity(
                actor=actor, identity=identity, decision=Decision.CONFIRMED, note=note
            ),
            forms.NoteForm,
            "已确认同一人",
            "network.decide",
            title="确认同一人",
        ),
        "dismiss": Operation(
            lambda *, actor, identity, note: services.decide_identity(
                actor=actor, identity=identity, decision=Decision.DISMISSED, note=note
            ),
            forms.DismissForm,
            "已排除",
            "network.decide",
            title="排除",
        ),
    }

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("network:identities")
