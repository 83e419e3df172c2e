"""Pages of official documents. Thin: scope through ``policies`` (404 outside it), writes through ``services``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.audit.services import record_download
from fazhi.io import pdf
from fazhi.io.params import parse_int
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import kinds, policies, selectors, services
from .models import NumberRegister, PdfStatus

SIGNED_IN = (Role.OFFICE, Role.ASSESSED, Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY)
PAGE_SIZE = 50


def _messages_of(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


@org_policies.role_required(*SIGNED_IN)
def document_list(request):
    """公文 — what my office issued, or what was addressed or copied to my unit; filtered and paged in SQL."""
    kind = request.GET.get("kind", "")
    kind = kind if kinds.get(kind) else ""
    year = parse_int(request.GET.get("year", ""), minimum=2000, maximum=2100)
    text = (request.GET.get("q", "") or "").replace("\x00", "").strip()[:100]
    queryset = selectors.filter_documents(policies.documents_for(request.user), kind=kind, year=year, text=text)
    page = Paginator(queryset.select_related("office"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {
        "page": page, "kinds": kinds.all_kinds(), "kind": kind, "year": year or "", "q": text,
        "is_office": org_policies.has_role(request.user, Role.OFFICE),
    })


@org_policies.role_required(*SIGNED_IN)
def document_detail(request, pk: int):
    document = policies.get_document_or_404(request.user, pk)
    document = selectors.with_latest(policies.documents_for(request.user).filter(pk=document.pk)).get()
    versions = list(document.versions.all())
    return render(request, "documents/detail.html", {
        "document": document, "versions": versions, "latest": versions[0] if versions else None,
        "can_issue": policies.can_issue(request.user, document), "pdf_available": pdf.available(),
        "status": PdfStatus,
    })


def _serve(item, *, inline: bool = False):
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=item.name)
    if inline:
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.name)}"
    return response


@org_policies.role_required(*SIGNED_IN)
def document_file(request, pk: int, file_pk: int):
    document = policies.get_document_or_404(request.user, pk)
    item = selectors.file_of(document, file_pk)
    if item is None:
        raise Http404
    response = _serve(item)
    record_download(user=request.user, target=document, what="documents.file", filename=item.name,
                    unit=document.office)
    return response


@org_policies.role_required(*SIGNED_IN)
def document_print(request, pk: int):
    """打印 — the latest version's PDF shown in the browser (print it from there); without a PDF, why not."""
    document = policies.get_document_or_404(request.user, pk)
    document = selectors.with_latest(policies.documents_for(request.user).filter(pk=document.pk)).get()
    latest = selectors.latest_version(document)
    item = selectors.pdf_of(latest) if latest is not None else None
    if item is not None:
        response = _serve(item, inline=True)
        record_download(user=request.user, target=document, what="documents.print", filename=item.name,
                        unit=document.office)
        return response
    return render(request, "documents/print_unavailable.html", {"document": document, "latest": latest,
                                                                "pdf_available": pdf.available()})


@org_policies.role_required(Role.OFFICE)
@require_POST
def document_regenerate(request, pk: int):
    document = policies.get_document_or_404(request.user, pk, "issue")
    try:
        version = services.document_regenerate(user=request.user, document=document,
                                               reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已重新生成第 %(v)s 版，发文字号不变：%(n)s") % {"v": version.version,
                                                                        "n": document.number})
    return redirect("documents:detail", pk=document.pk)


@org_policies.role_required(Role.OFFICE)
@require_POST
def document_pdf_retry(request, pk: int):
    document = policies.get_document_or_404(request.user, pk, "issue")
    try:
        services.pdf_retry(user=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已重新生成 PDF"))
    return redirect("documents:detail", pk=document.pk)


@org_policies.role_required(Role.OFFICE)
def issuer_settings(request):
    """发文设置 — 机关代字, 发文机关标志, 署名, 印发机关 of my office, and the numbers used so far each year."""
    office = request.user.unit
    if office is None:
        raise Http404
    if request.method == "POST":
        try:
            services.profile_save(user=request.user, office=office, code=request.POST.get("code", ""),
                                  mark=request.POST.get("mark", ""), signature=request.POST.get("signature", ""),
                                  printer=request.POST.get("printer", ""))
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, _("发文设置已保存"))
        return redirect("documents:settings")
    return render(request, "documents/settings.html", {
        "office": office, "profile": services.profile_of(office),
        "registers": NumberRegister.objects.filter(office=office).order_by("-year"),
    })
