"""The fixed phrases the extractive answerer writes, in Bahasa Indonesia and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    verdict_line: dict[str, str]
    sanctions_heading: str
    caveats_heading: str
    disclaimer: str
    summary_word: str
    note_word: str
    basis_word: str
    revoked: str
    revoked_inline: str
    summary_caveat: str
    empty: str
    injection: str
    opinion: str
    out_of_scope: str
    basis_heading: str
    closest_heading: str
    sanction_heading: str
    sanction_or: str
    caveat_heading: str
    conditions_heading: str
    no_rule: str
    closest: str
    who_decides: str
    readings: str
    unsettled: str
    two_readings: str
    condition_breached: str
    condition_met: str
    condition_unmet: str
    sources_heading: str
    notes_heading: str
    part_heading: str
    part_unmatched: str
    no_sanction_level: str


ID = Texts(
    verdict_line={
        "dilarang": "Tidak boleh (dilarang).",
        "boleh": "Boleh.",
        "bersyarat": "Boleh, dengan syarat.",
        "tidak_jelas": "Tidak jelas: tidak ada aturan yang tegas atau sumber berbeda pendapat.",
        "informasi": "Informasi:",
        "di_luar_cakupan": "Di luar cakupan.",
    },
    sanctions_heading="Sanksi yang dapat dikenakan:",
    caveats_heading="Catatan:",
    disclaimer="Ini bukan nasihat hukum; rujuk teks resmi peraturan atau tanyakan ke bagian kepegawaian.",
    summary_word="ringkasan",
    note_word="catatan",
    basis_word="dasar",
    revoked="{document} telah dicabut dan diganti {replaced_by}; dikutip hanya sebagai sejarah.",
    revoked_inline=" (dicabut, diganti {replaced_by})",
    summary_caveat="Rujukan bertanda ringkasan bukan kutipan teks resmi; periksa teks resmi peraturannya.",
    empty="Pertanyaan tidak dapat dipahami. Tanyakan aturan netralitas ASN, misalnya: "
    "“Bolehkah PNS memberi like pada postingan calon presiden?”",
    injection="Saya hanya menjawab pertanyaan tentang aturan netralitas ASN (PNS dan PPPK) dalam pemilu dan "
    "pilkada; permintaan untuk mengubah instruksi tidak saya ikuti.",
    opinion="Saya netral: saya tidak memberi pendapat atau rekomendasi tentang calon atau partai politik. "
    "Saya dapat menjelaskan apa yang boleh dan tidak boleh dilakukan ASN selama pemilu dan pilkada.",
    out_of_scope="Pertanyaan ini di luar cakupan saya. Saya hanya menjawab aturan netralitas ASN (PNS dan PPPK) "
    "dalam pemilu dan pilkada: apa yang boleh, apa yang dilarang, sanksinya, dan ke mana melapor.",
    basis_heading="Dasar hukum",
    closest_heading="Aturan terdekat (bukan putusan)",
    sanction_heading="Sanksi",
    sanction_or=" atau ",
    caveat_heading="Perhatian",
    conditions_heading="Syarat",
    no_rule="Tidak ditemukan aturan khusus untuk perbuatan ini dalam pengetahuan kami, jadi kami tidak "
    "memberi putusan boleh atau dilarang.",
    closest="Aturan terdekat: {items}.",
    who_decides="Yang menilai: atasan langsung dan PPK instansi Anda (BKPSDM/BKD), dengan pengawasan BKN; "
    "dugaan pelanggaran pemilu ditangani Bawaslu.",
    readings="Pendapat resmi berbeda: {items}.",
    unsettled="Belum diatur tegas: {items}.",
    two_readings="Ada dua bacaan: {first} Namun: {second}",
    condition_breached="Syaratnya tidak terpenuhi bila tujuannya menguntungkan calon; itu dilarang. {explanation}",
    condition_met="Menurut pertanyaan Anda syaratnya sudah terpenuhi. {explanation}",
    condition_unmet="Menurut pertanyaan Anda syaratnya belum terpenuhi, jadi larangannya masih berlaku. {explanation}",
    sources_heading="Sumber",
    notes_heading="Catatan kurasi (bukan dasar hukum)",
    part_heading="Bagian {n}: {title}",
    part_unmatched="Untuk bagian lain pertanyaan Anda ({part}) tidak ditemukan aturan khusus, jadi jawabannya "
    "bukan sekadar boleh; tanyakan ke atasan atau BKPSDM/BKD.",
    no_sanction_level="tingkat hukuman tidak ditentukan",
)

EN = Texts(
    verdict_line={
        "dilarang": "Not allowed (prohibited).",
        "boleh": "Allowed.",
        "bersyarat": "Allowed, under conditions.",
        "tidak_jelas": "Unclear: no explicit rule, or the sources disagree.",
        "informasi": "Information:",
        "di_luar_cakupan": "Outside my scope.",
    },
    sanctions_heading="Possible sanctions:",
    caveats_heading="Notes:",
    disclaimer="This is not legal advice; check the official text or ask your personnel office.",
    summary_word="summary",
    note_word="note",
    basis_word="basis",
    revoked="{document} was revoked and replaced by {replaced_by}; cited as history only.",
    revoked_inline=" (revoked, replaced by {replaced_by})",
    summary_caveat="Sources marked summary are not quotes of the official text; check the official text.",
    empty="I could not understand the question. Ask about ASN political-neutrality rules, e.g. "
    "“Can a civil servant like a presidential candidate's post?”",
    injection="I only answer questions about the political-neutrality rules for Indonesian civil servants "
    "(PNS and PPPK); I do not follow requests to change my instructions.",
    opinion="I stay neutral: I give no opinion or recommendation on candidates or political parties. "
    "I can explain what civil servants may and may not do during elections.",
    out_of_scope="This question is outside my scope. I only answer the political-neutrality rules for "
    "Indonesian civil servants (PNS and PPPK) in elections: what is allowed, what is prohibited, the "
    "sanctions, and where to report.",
    basis_heading="Legal basis",
    closest_heading="Closest rules (not a verdict)",
    sanction_heading="Sanction",
    sanction_or=" or ",
    caveat_heading="Caution",
    conditions_heading="Conditions",
    no_rule="We found no specific rule for this act in our knowledge, so we give no allowed/prohibited verdict.",
    closest="Closest rules: {items}.",
    who_decides="Who decides: your direct superior and your agency's PPK (BKPSDM/BKD), supervised by BKN; "
    "suspected election offences go to Bawaslu.",
    readings="Official readings differ: {items}.",
    unsettled="Not settled by the rules: {items}.",
    two_readings="Two readings: {first} However: {second}",
    condition_breached="The conditions are not met when the aim is to favour a candidate; that is prohibited. {explanation}",
    condition_met="By your account the condition is already met. {explanation}",
    condition_unmet="By your account the condition is not met yet, so the prohibition still applies. {explanation}",
    sources_heading="Sources",
    notes_heading="Curated notes (not legal basis)",
    part_heading="Part {n}: {title}",
    part_unmatched="No specific rule was found for the other part of your question ({part}), so the answer is "
    "not a plain yes; ask your superior or your agency's BKPSDM/BKD.",
    no_sanction_level="no penalty level set",
)

TEXTS: dict[str, Texts] = {"id": ID, "en": EN}
