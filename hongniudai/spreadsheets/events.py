"""The audit actions of imports (`hongniudai.audit.actions`).

A job leaves three rows: its upload, the end of its validation (nothing written yet but the job's
own counts), and the end of its import. The last is the platform's own `import` action, as an
export is `export`: data came into the platform. Each record written by an import carries the
action of the service that wrote it (`household_created`, `member_created`, …).
"""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit import actions as audit_actions
from hongniudai.audit.actions import declare

IMPORT_UPLOADED = declare("import_uploaded", _("上传导入文件"))
IMPORT_VALIDATED = declare("import_validated", _("导入文件校验完成"))
IMPORTED = audit_actions.IMPORT
