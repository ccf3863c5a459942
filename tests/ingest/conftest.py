"""Shared fixtures for the ingestion tests: a small made-up regulation and the real-text folder."""

from __future__ import annotations

from pathlib import Path

import pytest

# A made-up regulation (not copied from any real text) exercising every structural marker.
SAMPLE_REGULATION = """PERATURAN PEMERINTAH REPUBLIK INDONESIA
NOMOR 7 TAHUN 2099
TENTANG
NETRALITAS PEGAWAI CONTOH
DENGAN RAHMAT TUHAN YANG MAHA ESA
Menimbang: a. bahwa aturan contoh perlu dibuat;
Mengingat: 1. Pasal 5 ayat (2) Undang-Undang Dasar;
MEMUTUSKAN:
BAB I KETENTUAN UMUM
Pasal 1
Dalam Peraturan Pemerintah ini yang dimaksud dengan:
1. Pegawai adalah pegawai contoh pada instansi contoh.
2. Pejabat adalah pejabat yang berwenang menghukum.
BAB II LARANGAN
Pasal 2
(1) Pegawai dilarang:
a. menjadi anggota partai politik;
b. memberikan dukungan kepada calon dengan cara:
1. ikut kampanye;
2. memakai fasilitas negara; dan
c. memasang alat peraga kampanye.
(2) Larangan sebagaimana dimaksud pada ayat (1) berlaku juga di luar jam kerja dan ketentuan
Pasal 3 ayat (1) tetap berlaku.
Pasal 3
(1) Pegawai wajib menjaga netralitas sejak tanggal berlaku sebagaimana dimaksud dalam
Pasal 4
Peraturan Pemerintah ini.
(2) Pegawai yang melanggar larangan dijatuhi hukuman disiplin berat.
Pasal 3A
Ketentuan lebih lanjut diatur dengan Peraturan Menteri.
Pasal 4
Peraturan Pemerintah ini mulai berlaku pada tanggal diundangkan.
Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Pemerintah ini.
PENJELASAN ATAS PERATURAN PEMERINTAH REPUBLIK INDONESIA NOMOR 7 TAHUN 2099
I. UMUM
Netralitas pegawai adalah syarat pelayanan yang adil.
II. PASAL DEMI PASAL
Pasal 1
Cukup jelas.
Pasal 2
Ayat (1)
Huruf b
Angka 1
Yang dimaksud dengan "ikut kampanye" adalah hadir sebagai peserta kampanye.
Angka 2
Cukup jelas.
Ayat (2)
Cukup jelas.
Pasal 3
Cukup jelas.
Pasal 3A
Cukup jelas.
Pasal 4
Cukup jelas.
"""

SAMPLE_LABELS = [
    "Pasal 1",
    "Pasal 1 angka 1",
    "Pasal 1 angka 2",
    "Pasal 2",
    "Pasal 2 ayat (1)",
    "Pasal 2 ayat (1) huruf a",
    "Pasal 2 ayat (1) huruf b",
    "Pasal 2 ayat (1) huruf b angka 1",
    "Pasal 2 ayat (1) huruf b angka 2",
    "Pasal 2 ayat (1) huruf c",
    "Pasal 2 ayat (2)",
    "Pasal 3",
    "Pasal 3 ayat (1)",
    "Pasal 3 ayat (2)",
    "Pasal 3A",
    "Pasal 4",
    "Penjelasan",
    "Penjelasan Pasal 1",
    "Penjelasan Pasal 2",
    "Penjelasan Pasal 2 ayat (1)",
    "Penjelasan Pasal 2 ayat (1) huruf b",
    "Penjelasan Pasal 2 ayat (1) huruf b angka 1",
    "Penjelasan Pasal 2 ayat (1) huruf b angka 2",
    "Penjelasan Pasal 2 ayat (2)",
    "Penjelasan Pasal 3",
    "Penjelasan Pasal 3A",
    "Penjelasan Pasal 4",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT / ".." / "shared"
REAL_TEXTS = SHARED / "real-texts"
KNOWLEDGE = REPO_ROOT / "knowledge"


@pytest.fixture
def sample_txt(tmp_path: Path) -> Path:
    path = tmp_path / "contoh.txt"
    path.write_text(SAMPLE_REGULATION, encoding="utf-8")
    return path
