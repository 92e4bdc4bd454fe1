"""The Word report opens in a real office suite: LibreOffice converts it to PDF and its text survives.

Needs LibreOffice Writer (Debian package libreoffice-writer-nogui) and pdftotext (poppler-utils); CI installs
both, and in CI a skip is a failure.
"""

import shutil
import subprocess

import pytest

from tests import report_h1_2023 as report
from tests.reports.conftest import HEADLINE

pytestmark = [
    # A database test, so that it runs before the live-server tests empty the tables (pytest-django's order).
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdftotext")),
        reason="needs LibreOffice and pdftotext: apt-get install libreoffice-writer-nogui poppler-utils",
    ),
]


def test_libreoffice_converts_the_report_to_pdf_with_its_text(tmp_path, report_docx):
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(report_docx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    # Lines are wrapped in the PDF: compare with the whitespace squeezed out.
    flat = " ".join(text.split())
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Nơi nhận:",
        "Phụ lục 01",
        "Phụ lục 02",
        *HEADLINE,
        f"UBND xã {report.PAYMENT_NOT_STARTED[0]}",
    ):
        assert expected in flat, expected
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "A4" in pages
