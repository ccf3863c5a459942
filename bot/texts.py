"""The user-facing fixed texts: messages, example questions and the command menu."""

ERROR_TEXT = "Maaf, terjadi kesalahan. Silakan coba lagi."
UNKNOWN_COMMAND_TEXT = "Perintah tidak dikenal."
NON_TEXT_TEXT = "Maaf, saya hanya bisa membaca pertanyaan dalam bentuk teks. Silakan ketik pertanyaan Anda."
EXPIRED_TEXT = "Tombol ini sudah kedaluwarsa. Silakan ajukan pertanyaannya lagi."
EMPTY_PRIVATE_TEXT = "Silakan ketik pertanyaan Anda tentang netralitas ASN."
FEEDBACK_INVALID_TEXT = "Tombol umpan balik ini tidak dikenal. Silakan ajukan pertanyaannya lagi."
UNIT_RECENT_TEXT = "Teks pasal ini baru saja dikirim di obrolan ini."


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

PRIVACY_TEXT = (
    "<b>Privasi</b>\n"
    "• <b>Isi pertanyaan tidak disimpan.</b> Yang dicatat hanya jumlah pertanyaan per jenis jawaban per hari, "
    "tanpa identitas.\n"
    "• Umpan balik 👍/👎 disimpan bersama ID pengguna yang telah di-hash (disamarkan), jenis jawaban, dan "
    "pasal yang dikutip, selama {days} hari, lalu dihapus otomatis.\n"
    "• Pertanyaan terakhir di obrolan ini disimpan sementara di memori (tidak di disk) agar pertanyaan "
    "lanjutan bisa dipahami; hilang setelah 30 menit atau saat bot dimulai ulang.\n"
    "• /hapus menghapus semua umpan balik Anda dan konteks percakapan ini."
)
