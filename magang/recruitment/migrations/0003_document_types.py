"""The documents a registration usually asks for (DOMAIN.md, registration). Rounds choose."""

from django.db import migrations

DOCUMENT_TYPES = [
    ("ktp", "Identity card (KTP)", "Kartu Tanda Penduduk (KTP)", "身分証明書（KTP）", False),
    ("kk", "Family card (KK)", "Kartu Keluarga (KK)", "家族カード（KK）", False),
    ("ak1", "Job-seeker card (AK1)", "Kartu Pencari Kerja (AK/1)", "求職者カード（AK1）", False),
    ("birth-certificate", "Birth certificate", "Akta kelahiran", "出生証明書", False),
    ("diploma", "Diploma", "Ijazah terakhir", "卒業証書", False),
    ("health-letter", "Health letter", "Surat keterangan sehat", "健康診断書", False),
    ("permission-letter", "Parent, guardian or wife permission", "Surat izin orang tua/wali/istri",
     "保護者・配偶者の同意書", False),
    ("village-recommendation", "Village-head recommendation", "Surat rekomendasi kepala desa",
     "村長の推薦状", False),
    ("skck", "Police record (SKCK)", "Surat Keterangan Catatan Kepolisian (SKCK)",
     "無犯罪証明書（SKCK）", False),
    ("no-previous-participation", "Statement of no earlier participation",
     "Surat pernyataan belum pernah mengikuti program", "過去不参加の誓約書", False),
    ("photo", "Photograph", "Pas foto", "証明写真", True),
]


def create(apps, schema_editor):
    DocumentType = apps.get_model("recruitment", "DocumentType")
    for order, (code, en, id_, ja, is_photo) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={"name_en": en, "name_id": id_, "name_ja": ja, "is_photo": is_photo,
                      "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0002_registration")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
