"""The user-facing fixed texts: messages, example questions and the command menu."""

ERROR_TEXT = "Maaf, terjadi kesalahan. Silakan coba lagi."
UNKNOWN_COMMAND_TEXT = "Perintah tidak dikenal."
NON_TEXT_TEXT = "Maaf, saya hanya bisa membaca pertanyaan dalam bentuk teks. Silakan ketik pertanyaan Anda."
EXPIRED_TEXT = "Tombol ini sudah kedaluwarsa. Silakan ajukan pertanyaannya lagi."
EMPTY_PRIVATE_TEXT = "Silakan ketik pertanyaan Anda tentang netralitas ASN."
FEEDBACK_INVALID_TEXT = "Tombol umpan balik ini tidak dikenal. Silakan ajukan pertanyaannya lagi."
UNIT_RECENT_TEXT = "Teks pasal ini baru saja dikirim di obrolan ini."
DETAIL_RECENT_TEXT = "Rincian jawaban ini baru saja dikirim di obrolan ini."
MENTION_EMPTY_TEXT = "Silakan tulis pertanyaan Anda setelah menyebut saya."
SOURCES_HEADING = "<b>Sumber yang dipakai</b> (status saat ini):"
FEEDBACK_THANKS_TEXT = "Terima kasih atas umpan balik Anda!"
FEEDBACK_REPEAT_TEXT = "Umpan balik Anda sudah tercatat."
RELOADED_TEXT = "✅ Indeks dimuat ulang: {documents} dokumen."
STATS_HEADING = "📊 <b>Statistik</b>\nPertanyaan terjawab: {questions}"
STATS_FEEDBACK = "Umpan balik: 👍 {up} / 👎 {down}"
STATS_UNDELIVERED = "Pesan gagal terkirim (setelah semua percobaan ulang): {n}"


def forgotten_text(removed: int) -> str:
    return f"🗑️ Data Anda sudah dihapus ({removed} umpan balik). Konteks percakapan juga dihapus."


def too_long_text(length: int, limit: int) -> str:
    return (
        f"Pertanyaan terlalu panjang ({length} karakter). "
        f"Mohon persingkat menjadi paling banyak {limit} karakter."
    )


def unit_missing_text(lang: str) -> str:
    return "This unit is not in the index." if lang == "en" else "Pasal ini tidak ditemukan di indeks."


def unit_button_text(label: str, lang: str) -> str:
    return f"📜 {'View' if lang == 'en' else 'Lihat'} {label}"


def detail_button_text(lang: str) -> str:
    """The button under an answer that sends every source with its full quote and the notes."""
    return "🔎 More: all sources and quotes" if lang == "en" else "🔎 Selengkapnya: semua sumber dan kutipan"


def too_fast_text(wait_s: float) -> str:
    return f"Anda bertanya terlalu cepat. Silakan coba lagi dalam {max(1, round(wait_s))} detik. 🙏"


def unit_cut_text(lang: str, source_url: str | None) -> str:
    """The last message of a unit view that was cut: where to read the whole text (HTML)."""
    from html import escape

    link = f' <a href="{escape(source_url, quote=True)}">{escape(source_url)}</a>' if source_url else ""
    if lang == "en":
        return f"<i>The text is long; only the beginning is shown. Read it in full at the official source.</i>{link}"
    return f"<i>Teksnya panjang; hanya bagian awal yang ditampilkan. Baca selengkapnya di sumber resmi.</i>{link}"


EXAMPLES: tuple[str, ...] = (
    "Bolehkah PNS menghadiri kampanye calon kepala daerah?",
    "Apa sanksi bagi ASN yang memberi like pada unggahan kampanye di media sosial?",
    "Bolehkah ASN menjadi anggota atau pengurus partai politik?",
)

PUBLIC_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Mulai dan lihat contoh pertanyaan"),
    ("bantuan", "Cara bertanya dan daftar perintah"),
    ("sumber", "Daftar peraturan yang menjadi sumber jawaban"),
    ("privasi", "Data apa yang disimpan dan berapa lama"),
    ("hapus", "Hapus semua data Anda"),
)

START_TEXT = (
    "Halo! Saya <b>Tanya Netral</b>, asisten yang menjawab pertanyaan tentang "
    "<b>aturan netralitas ASN</b>: boleh atau tidak, apa sanksinya, dan pasal mana yang menjadi dasarnya.\n\n"
    "Ketik saja pertanyaan Anda, misalnya tentang kampanye, media sosial, atau partai politik. "
    "Setiap jawaban mencantumkan kutipan pasal; tekan 📜 untuk membaca teks lengkapnya.\n\n"
    "<i>Jawaban bersifat informasi umum, bukan nasihat hukum. Untuk keputusan resmi, "
    "periksa teks peraturan dan tanyakan kepada atasan atau Bawaslu/BKN.</i>\n\n"
    "🔒 Isi pertanyaan Anda tidak disimpan. Lihat /privasi.\n\n"
    "Coba salah satu contoh berikut:"
)

HELP_TEXT = (
    "<b>Cara bertanya</b>\n"
    "Tulis satu pertanyaan dalam satu pesan, sejelas mungkin (siapa, melakukan apa, kapan). "
    "Pertanyaan lanjutan seperti “kalau hanya membagikan?” dipahami dalam konteks pertanyaan sebelumnya.\n\n"
    "Di grup, sebut saya (@{username}) atau balas pesan saya.\n\n"
    "<b>Perintah</b>\n"
    "/start — mulai dan contoh pertanyaan\n"
    "/sumber — daftar peraturan yang dipakai\n"
    "/privasi — data yang disimpan\n"
    "/hapus — hapus data Anda\n"
    "/bantuan — pesan ini\n\n"
    "<i>Bukan nasihat hukum.</i>"
)

_PRIVACY_HEAD = (
    "<b>Privasi</b>\n"
    "• <b>Isi pertanyaan tidak disimpan</b> (kecuali pertanyaan terakhir untuk konteks, lihat di bawah). "
    "Yang dicatat hanya jumlah pertanyaan per jenis jawaban per hari, tanpa identitas.\n"
    "• Umpan balik 👍/👎 disimpan bersama ID pengguna yang telah di-hash (disamarkan), jenis jawaban, dan "
    "pasal yang dikutip, selama {days} hari, lalu dihapus otomatis.\n"
)
_CONTEXT_IN_MEMORY = (
    "• Pertanyaan terakhir di obrolan ini disimpan sementara di memori (tidak di disk) agar pertanyaan "
    "lanjutan bisa dipahami; hilang setelah 30 menit atau saat bot dimulai ulang.\n"
)
_CONTEXT_IN_DATABASE = (
    "• Pertanyaan terakhir di obrolan ini disimpan sementara di basis data bot (PostgreSQL, dipakai "
    "bersama oleh semua server bot) agar pertanyaan lanjutan bisa dipahami, paling lama 30 menit, "
    "lalu dihapus.\n"
)
_PRIVACY_TAIL = (
    "• Rincian jawaban untuk tombol 🔎 Selengkapnya (kutipan pasal, tanpa pertanyaan dan tanpa ID "
    "pengguna) disimpan paling lama 24 jam.\n"
    "• /hapus menghapus semua umpan balik Anda dan konteks percakapan Anda."
)


def privacy_text(days: int, shared_store: bool) -> str:
    """/privasi. With a shared (PostgreSQL) store the follow-up context is in the database, not
    only in memory: say so."""
    context = _CONTEXT_IN_DATABASE if shared_store else _CONTEXT_IN_MEMORY
    return _PRIVACY_HEAD.format(days=days) + context + _PRIVACY_TAIL
