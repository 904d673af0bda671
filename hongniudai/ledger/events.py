"""The audit actions of the collective's books (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

BOOKS_OPENED = declare("books_opened", _("建立账套"))
ACCOUNT_ADDED = declare("ledger_account_added", _("增设明细科目"))

VOUCHER_DRAFTED = declare("voucher_drafted", _("填制凭证草稿"))
VOUCHER_DRAFT_UPDATED = declare("voucher_draft_updated", _("修改凭证草稿"))
VOUCHER_DRAFT_DELETED = declare("voucher_draft_deleted", _("删除凭证草稿"))
VOUCHER_POSTED = declare("voucher_posted", _("凭证记账"))
VOUCHER_REVERSED = declare("voucher_reversed", _("红字冲销凭证"))

PERIOD_CLOSED = declare("period_closed", _("期末结账"))
PERIOD_REOPENED = declare("period_reopened", _("反结账"))
YEAR_CLOSED = declare("year_end_closed", _("年终收益结转"))

ATTACHMENT_ADDED = declare("voucher_attachment_added", _("上传凭证附件"))
ATTACHMENT_REMOVED = declare("voucher_attachment_removed", _("删除凭证附件"))
