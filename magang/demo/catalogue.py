"""The fixed cast of the demo: organisations, their places, and how people spread over them.

Plain data, no Django. Weights are relative, not percentages; a code missing from a weight
table gets the table's default, so a new province or prefecture row still appears a little.
"""

from __future__ import annotations

from dataclasses import dataclass

KEMNAKER = "Kementerian Ketenagakerjaan Republik Indonesia"
LEADERSHIP_UNIT = "Direktorat Jenderal Pembinaan Pelatihan Vokasi dan Produktivitas"
SELECTION_UNIT = "Direktorat Bina Penyelenggaraan Pelatihan Vokasi dan Pemagangan"
SYSTEMS_UNIT = "Pusat Data dan Informasi Ketenagakerjaan"
IM_JAPAN = "International Manpower Development Organization, Japan (IM Japan)"
IM_JAPAN_PREFECTURE = "13"
UNION = "Konfederasi Serikat Pekerja Seluruh Indonesia"
ACADEMIC = "Politeknik Ketenagakerjaan"
ALUMNI = "Ikatan Alumni Pemagangan Kenshusei Indonesia"
DEMO_HOST_COMPANY = "Sendai Seimitsu Kogyo Co., Ltd."
DEMO_HOST_PREFECTURE = "04"


@dataclass(frozen=True)
class RegionalOffice:
    province_code: str
    short: str
    city_code: str  # the regency/city where it runs its selection site


REGIONAL_OFFICES: tuple[RegionalOffice, ...] = (
    RegionalOffice("32", "Jabar", "32.73"),
    RegionalOffice("33", "Jateng", "33.74"),
    RegionalOffice("35", "Jatim", "35.78"),
    RegionalOffice("36", "Banten", "36.73"),
    RegionalOffice("34", "DIY", "34.71"),
    RegionalOffice("18", "Lampung", "18.71"),
    RegionalOffice("12", "Sumut", "12.71"),
    RegionalOffice("13", "Sumbar", "13.71"),
    RegionalOffice("16", "Sumsel", "16.71"),
    RegionalOffice("51", "Bali", "51.71"),
    RegionalOffice("52", "NTB", "52.71"),
    RegionalOffice("73", "Sulsel", "73.71"),
)


def regional_office_name(province_name: str) -> str:
    return f"Dinas Tenaga Kerja dan Transmigrasi Provinsi {province_name}"


@dataclass(frozen=True)
class TrainingCentre:
    name: str
    short: str
    province_code: str
    regency_code: str


CENTRAL_TRAINING_CENTRE = TrainingCentre(
    "Balai Besar Pelatihan Vokasi dan Produktivitas Bekasi", "BBPVP Bekasi", "32", "32.16"
)
TRAINING_CENTRES: tuple[TrainingCentre, ...] = (
    CENTRAL_TRAINING_CENTRE,
    TrainingCentre(
        "Balai Pelatihan Vokasi dan Produktivitas Surakarta", "BPVP Surakarta", "33", "33.72"
    ),
    TrainingCentre(
        "Balai Pelatihan Vokasi dan Produktivitas Lombok Timur", "BPVP Lombok Timur", "52", "52.03"
    ),
    TrainingCentre("Balai Pelatihan Vokasi dan Produktivitas Padang", "BPVP Padang", "13", "13.71"),
)


@dataclass(frozen=True)
class CurrentSite:
    """A selection site of the current round: who runs it, its deadline and its share."""

    organiser: str  # a regional office's province code, or a training centre's short name
    deadline_in_days: int  # relative to today; negative means registration has closed
    weight: int
    quota: int


CURRENT_SITES: tuple[CurrentSite, ...] = (
    CurrentSite("32", -6, 22, 300),
    CurrentSite("33", 9, 20, 250),
    CurrentSite("35", -25, 16, 220),
    CurrentSite("18", 5, 8, 90),
    CurrentSite("52", -40, 8, 90),
    CurrentSite("12", 20, 8, 90),
    CurrentSite("BPVP Surakarta", -3, 8, 80),
    CurrentSite("73", 30, 6, 70),
)

# Provinces of origin. Java's three big provinces send most; every province sends some.
PROVINCE_WEIGHTS: dict[str, float] = {
    "32": 22, "33": 20, "35": 16, "36": 4, "34": 3, "18": 4.5, "12": 3, "13": 3, "16": 2,
    "51": 1.5, "52": 3.5, "73": 2, "31": 1.5, "11": 0.8, "14": 0.8, "15": 0.7, "17": 0.6,
    "19": 0.4, "21": 0.4, "53": 0.8, "61": 0.6, "62": 0.4, "63": 0.6, "64": 0.5, "71": 0.5,
    "72": 0.5, "74": 0.5, "76": 0.3, "75": 0.3, "81": 0.3, "82": 0.2,
}  # fmt: skip
PROVINCE_DEFAULT_WEIGHT = 0.15

# Host prefectures. Aichi's factories and Miyagi lead; Tokyo hosts few.
PREFECTURE_WEIGHTS: dict[str, float] = {
    "23": 13, "04": 10, "08": 8, "11": 7, "12": 6, "27": 6, "21": 6, "34": 5, "22": 5,
    "10": 4, "09": 4, "28": 4, "14": 3, "33": 3, "40": 3, "24": 3, "20": 2, "15": 2, "43": 2,
    "37": 2, "13": 1.5, "01": 2, "07": 2, "06": 1, "16": 1, "17": 1, "18": 1, "25": 1,
    "35": 1, "38": 1, "42": 1, "46": 1,
}  # fmt: skip
HOST_COMPANY_COUNT = 150

# Trade groups of the host companies (the OTIT groups of the reference table).
TRADE_GROUP_WEIGHTS: dict[str, float] = {
    "machinery": 38, "construction": 18, "food": 17, "other": 12, "agriculture": 7,
    "textiles": 4, "fisheries": 4,
}  # fmt: skip

COMPANY_PREFIXES: tuple[str, ...] = (
    "Sanwa", "Daiichi", "Kyowa", "Toyo", "Shin-Nihon", "Marui", "Yamato", "Fuji", "Asahi",
    "Seiwa", "Taisei", "Heiwa", "Mitsuwa", "Chuo", "Nikko", "Hokuyo", "Kotobuki", "Sakura",
    "Matsuba", "Tokiwa", "Meiwa", "Shinwa", "Kowa", "Ueda", "Kato", "Suzuki", "Ito", "Okada",
)  # fmt: skip
COMPANY_WORDS: dict[str, tuple[str, ...]] = {
    "machinery": ("Seiki", "Kogyo", "Tekko", "Kinzoku", "Giken", "Denki", "Metal Works"),
    "construction": ("Kensetsu", "Komuten", "Setsubi", "Doboku"),
    "food": ("Shokuhin", "Foods", "Seika", "Suisan Kako"),
    "agriculture": ("Nojo", "Agri", "Engei"),
    "fisheries": ("Suisan", "Gyogyo"),
    "textiles": ("Hosei", "Seni"),
    "other": ("Jushi Kogyo", "Insatsu", "Toso", "Konpo"),
}

EARLY_RETURN_REASONS: tuple[str, ...] = (
    "Kembali lebih awal: sakit (surat dokter).",
    "Kembali lebih awal: alasan keluarga.",
    "Kembali lebih awal: perusahaan penerima berhenti beroperasi.",
    "Kembali lebih awal: pelanggaran disiplin.",
    "Kembali lebih awal: tidak lulus ujian keterampilan tingkat dasar.",
)
MISSING_REASON = "Meninggalkan perusahaan penerima tanpa pemberitahuan; dilaporkan ke OTIT."
INELIGIBLE_REASONS: tuple[str, ...] = (
    "Usia di luar batas yang ditetapkan.",
    "Tinggi badan di bawah syarat minimal.",
    "Dokumen tidak lengkap: SKCK belum dilampirkan.",
    "Pernah mengikuti program sebelumnya.",
)


# Pre-departure training at the central centre (``training.py`` builds it).


@dataclass(frozen=True)
class TrainingModule:
    key: str
    name_en: str
    name_id: str
    category: str  # a ``training.models.Category`` value
    planned_hours: int
    weight: int = 1
    room: str = ""  # empty: the class's own room
    trainer: tuple[str, str] | None = None  # (username, full name); Japanese: each class's own
    test: tuple[str, str] = ("written", "tes tertulis")  # (``AssessmentKind`` value, name)
    difficulty: int = 0  # added to a trainee's ability in this module's scores


JAPANESE_MODULE = TrainingModule(
    "japanese", "Japanese language", "Bahasa Jepang", "japanese", 126, weight=3, difficulty=-6
)
# Taught in rotation, one trainer each, so no two classes take one at the same time.
ROTATING_MODULES: tuple[TrainingModule, ...] = (
    TrainingModule(
        "culture-manners", "Japanese culture and manners", "Budaya dan tata krama Jepang",
        "culture", 22, trainer=("bekasi.nakamura", "Nakamura Aiko"), test=("oral", "tes lisan"),
    ),
    TrainingModule(
        "living-in-japan", "Living in Japan", "Kehidupan sehari-hari di Jepang", "culture", 18,
        trainer=("bekasi.fitri", "Fitri Handayani"),
    ),
    TrainingModule(
        "discipline-physical", "Discipline and physical training", "Kedisiplinan dan fisik",
        "discipline", 24, room="Lapangan Upacara", trainer=("bekasi.joko", "Joko Susilo"),
        test=("practical", "tes kebugaran"), difficulty=4,
    ),
    TrainingModule(
        "technical-basics", "Basic technical skills", "Keterampilan teknik dasar", "technical",
        24, room="Bengkel Mesin", trainer=("bekasi.hendra", "Hendra Gunawan"),
        test=("practical", "tes praktik"),
    ),
    TrainingModule(
        "kaizen-5s", "5S and kaizen", "5S dan kaizen", "technical", 18,
        trainer=("bekasi.bayu", "Bayu Prasetyo"),
    ),
    TrainingModule(
        "safety", "Occupational safety and health", "Keselamatan dan kesehatan kerja (K3)",
        "safety", 20, trainer=("bekasi.ratna", "Ratna Permata Sari"), difficulty=-2,
    ),
)  # fmt: skip
# Japanese teachers and homeroom trainers of classes B, C, D (class A's is the demo trainer).
JAPANESE_TEACHERS: tuple[tuple[str, str], ...] = (
    ("bekasi.dewi", "Dewi Kartika Sari"),
    ("bekasi.rahmat", "Rahmat Hidayat"),
    ("bekasi.yamamoto", "Yamamoto Keiko"),
)
EXCUSES: tuple[str, ...] = (
    "Sakit, surat keterangan dokter klinik balai.",
    "Izin keluarga: orang tua dirawat di rumah sakit.",
    "Pemeriksaan kesehatan lanjutan di rumah sakit.",
    "Mengurus dokumen paspor di kantor imigrasi.",
)
LATE_REASONS: tuple[str, ...] = ("", "", "Terlambat apel pagi.", "Kembali dari klinik.")
DEMERITS: tuple[tuple[str, int], ...] = (
    ("Terlambat apel pagi tiga kali dalam seminggu.", 5),
    ("Menggunakan telepon genggam saat pelajaran.", 5),
    ("Keluar asrama tanpa izin setelah pukul 21.00.", 10),
    ("Merokok di lingkungan asrama.", 10),
)
MERITS: tuple[tuple[str, int], ...] = (
    ("Juara 1 lomba pidato bahasa Jepang antarkelas.", 10),
    ("Membantu petugas kesehatan saat latihan fisik.", 5),
    ("Ketua kelas: memimpin apel pagi dengan tertib.", 5),
)
MONTHS_ID: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip


# Placement: job orders for the next year's departures (``placement.py`` builds them).


@dataclass(frozen=True)
class OrderingHost:
    """A host company that sends job orders now: one of IM Japan's in ``prefecture_code``,
    preferably in trade ``group`` with a staff count in [staff_low, staff_high] (else the
    nearest)."""

    prefecture_code: str
    group: str
    staff_low: int
    staff_high: int


# Besides the demo host company (Miyagi, machinery, 420 staff), eleven more in the trades
# their prefectures are known for, across OTIT's staff bands (the cap is in brackets).
ORDERING_HOSTS: tuple[OrderingHost, ...] = (
    OrderingHost("04", "food", 201, 300),  # Miyagi: seafood processing (15)
    OrderingHost("23", "machinery", 301, 2400),  # Aichi: car parts (staff / 20)
    OrderingHost("23", "textiles", 31, 40),  # Aichi: Ichinomiya weaving (4)
    OrderingHost("27", "machinery", 12, 30),  # Osaka: a small machine shop (3)
    OrderingHost("22", "machinery", 101, 200),  # Shizuoka (10)
    OrderingHost("22", "agriculture", 41, 50),  # Shizuoka: tea and vegetables (5)
    OrderingHost("08", "agriculture", 101, 200),  # Ibaraki (10)
    OrderingHost("21", "machinery", 12, 30),  # Gifu (3)
    OrderingHost("11", "food", 301, 2400),  # Saitama: prepared food (staff / 20)
    OrderingHost("34", "other", 51, 100),  # Hiroshima: painting, welding (6)
    OrderingHost("12", "construction", 301, 2400),  # Chiba (staff / 20)
)
# Interns a job order asks for, as companies tend to (groups of three are common).
ORDER_SIZES: tuple[int, ...] = (1, 2, 2, 3, 3, 3, 3, 4, 5, 6, 6, 9)
JOB_ORDER_NOTES: tuple[str, ...] = (
    "",
    "",
    "Dormitory provided (shared room); overtime about 20 hours a month.",
    "Two-shift work; a company bus from the dormitory.",
    "Halal meals available near the factory; Friday prayers allowed.",
    "Forklift licence obtained in Japan at the company's cost.",
)
# Who interviews for the host companies (the demo host's is its ``host`` account); IM Japan
# sits in on every interview.
INTERVIEWERS: tuple[str, ...] = (
    "Kobayashi Takeshi", "Watanabe Emi", "Yamada Kenji", "Nakajima Hiroko", "Inoue Daisuke",
    "Kimura Shota", "Hayashi Naoko", "Shimizu Makoto", "Mori Ayumi", "Ikeda Ryo",
    "Hashimoto Kazuya",
)  # fmt: skip
IM_JAPAN_INTERVIEWER = "Tanaka Hiroshi (IM Japan)"
INTERVIEW_NOTES: dict[str, tuple[str, ...]] = {
    "passed": ("", "", "", "Motivasi kuat, menjawab dengan jelas.", "Sikap baik; fisik prima."),
    "failed": (
        "Belum lancar memperkenalkan diri dalam bahasa Jepang.",
        "Kurang teliti pada tes keterampilan tangan.",
        "Motivasi belum jelas; lebih cocok bidang lain.",
    ),
    "absent": ("Tidak hadir: sakit, surat dokter menyusul.", "Tidak hadir tanpa kabar."),
}
