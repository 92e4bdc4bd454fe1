"""The data administration's import and export buttons (django-import-export), behind the Excel page's guards:
files read by the one bounded reader, kept by the one upload store, written by the one xlsx and CSV writers
(formulas kept as text), and every refusal said in words.

The package reads the whole of any workbook it is given and keeps every upload, readable or not; here the
import form reads the file first, within bounds, and only a readable file is kept for its confirmation.
"""

import logging

import tablib
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from cchc.middleware import content_security_policy

from . import uploads
from .spreadsheets import FileRefused, SheetColumn, read_csv_rows, read_rows, write_csv, write_sheet

logger = logging.getLogger(__name__)

# A preview checks every row with a few queries: bounded, so that no file costs the server more than that.
# Larger exchanges of figures go through the Excel page, which checks a whole workbook in a few queries.
MAX_IMPORT_ROWS = 2000
NO_LONGER_AVAILABLE = gettext_lazy("This preview is no longer available. Upload the file again.")
# django-import-export's export form runs its "Select all" box from an inline attribute,
# onchange="onSelectToggleChange(event)", which the site's policy blocks. The export page alone allows that
# one handler, named by its hash (browsers check the attribute against it as they read the page).
SELECT_ALL_HANDLER = ["'unsafe-hashes'", "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"]


def _dataset(rows):
    """The tablib dataset django-import-export reads: the first row's cells as headers, as wide as they go."""
    (_number, header), body = rows[0], rows[1:]
    width = max((index + 1 for index, value in enumerate(header) if value not in (None, "")), default=0)
    dataset = tablib.Dataset(headers=["" if value is None else str(value) for value in header[:width]])
    for _number, cells in body:
        dataset.append((cells + [None] * width)[:width])
    return dataset


class Xlsx(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return _dataset(read_rows(in_stream, max_rows=MAX_IMPORT_ROWS))

    def export_data(self, dataset, **kwargs):
        columns = [SheetColumn(str(header)) for header in dataset.headers]
        return write_sheet(dataset.title or _("Data"), columns, dataset)


class Csv(base_formats.CSV):
    def create_dataset(self, in_stream):
        return _dataset(read_csv_rows(in_stream, max_rows=MAX_IMPORT_ROWS))

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset.headers, dataset)


def _chosen(form, name, choices):
    """The index a form's field names among `choices`, or None for a value that names none of them."""
    value = form.cleaned_data.get(name) or "0"
    return int(value) if value.isdigit() and int(value) < len(choices) else None


class AdminImportForm(ImportForm):
    """The import's first step: the file is read here, and kept for its confirmation only once readable."""

    def __init__(self, formats, resources, user=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats, self.user = formats, user

    def clean(self):
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), _chosen(self, "format", self.formats)
        if upload is None or index is None:
            return cleaned
        input_format, data = self.formats[index](), upload.read()
        try:
            # Text as the package reads it back for the confirmation (its from_encoding).
            input_format.create_dataset(data if input_format.is_binary() else data.decode("utf-8-sig"))
            upload.kept_as = self.kept_as = uploads.keep_admin_import(self.user, data)
        except UnicodeDecodeError:
            self.add_error("import_file", _("The file is not saved as UTF-8 text. Save it as “CSV UTF-8”."))
        except FileRefused as refusal:
            self.add_error("import_file", refusal.message)
        except uploads.StoreFull:
            self.add_error("import_file", uploads.STORE_FULL)
        return cleaned


class AdminConfirmForm(ConfirmImportForm):
    """The confirmation's hidden fields, as the preview wrote them: anything else is refused in words."""

    def __init__(self, formats, resources, user=None, **kwargs):
        super().__init__(**kwargs)
        self.formats, self.resources, self.user = formats, resources, user

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("import_file_name")
        if (
            _chosen(self, "format", self.formats) is None
            or _chosen(self, "resource", self.resources) is None
            or not uploads.is_waiting_admin_import(self.user, name or "")
        ):
            raise ValidationError(NO_LONGER_AVAILABLE)
        return cleaned


class ExportForm(SelectableFieldsExportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].initial = "0"  # Excel, what most users open

    def _get_field_label(self, resource, field_name):
        # django-import-export names each column by its attribute ("Results Digitized"), in English.
        return str(resource.fields[field_name].column_name)


class ImportExport(ImportExportMixin):
    """The import and export buttons: previewed, then confirmed, in one transaction.

    Exports hold the rows of the list as filtered, fetched with their related rows in the same query.
    """

    formats = [Xlsx, Csv]
    import_form_class = AdminImportForm
    confirm_form_class = AdminConfirmForm
    export_form_class = ExportForm
    export_related = []

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "user": request.user}

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        resources = self.get_import_resource_classes(request)
        return {**kwargs, "formats": self.get_import_formats(), "resources": resources, "user": request.user}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        kept_as = getattr(context.get("form"), "kept_as", None)
        if kept_as and "confirm_form" not in context:
            uploads.discard_admin_import(request.user, kept_as)  # refused after all: nothing to confirm
        return response

    def write_to_tmp_storage(self, import_file, input_format):
        # The import form kept the file already, counted among the user's uploads.
        encoding = None if input_format.is_binary() else self.from_encoding
        storage = self.get_tmp_storage_class()
        return storage(name=import_file.kept_as, encoding=encoding, read_mode=input_format.get_read_mode())

    def add_data_read_fail_error_to_form(self, form, error):
        # The package names the exception's class; the form has read the same file already, so this is a
        # fault of ours, logged.
        logger.error("An admin import could not read a file its form had read", exc_info=error)
        form.add_error("import_file", _("The file could not be read. Upload it again."))

    def _back_to_import(self, request, message):
        messages.error(request, message)
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    def process_import(self, request, **kwargs):
        # The package takes the hidden fields as they come: an index out of range or a missing file was a 500.
        if request.method == "POST" and self.has_import_permission(request):
            if not self.create_confirm_form(request).is_valid():
                return self._back_to_import(request, NO_LONGER_AVAILABLE)
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:  # removed since the check: a day old, or confirmed in another tab
            return self._back_to_import(request, NO_LONGER_AVAILABLE)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back: the data changed since the preview. Nothing was written, and the user is told why.
            problems = [str(error.error) for error in result.base_errors] or [_("Some rows are not valid.")]
            reason = " ".join(problems)
            return self._back_to_import(request, _("Nothing was saved: %(reason)s") % {"reason": reason})
        return super().process_result(result, request)

    def export_action(self, request):
        response = super().export_action(request)
        response["Content-Security-Policy"] = content_security_policy(SELECT_ALL_HANDLER)
        return response

    def get_export_queryset(self, request):
        try:
            queryset = super().get_export_queryset(request)
        except IncorrectLookupParameters:
            raise BadRequest(_("The address holds a filter this list does not have.")) from None
        return queryset.select_related(*self.export_related)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # As the package does, but numbers and dates stay numbers and dates in a workbook: the package tells
        # a workbook by its own classes, not by ours.
        if not self.has_export_permission(request):
            raise PermissionDenied
        native = file_format.is_binary()
        data = self.get_data_for_export(request, queryset, force_native_type=native, **kwargs)
        content = file_format.export_data(data)
        return content if file_format.is_binary() else content.encode(self.to_encoding or "utf-8")
