"""The branch's self-assessment form saved as one: its scores, evidence texts and the evidence
files attached with them, in one transaction (all or nothing)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .assessments import add_evidence, save_draft


def evidence_field(indicator_pk) -> str:
    """The name of the self-assessment form's file field of an indicator, under which a refused
    file is named (`forms.SelfAssessmentForm` builds its fields with it)."""
    return f"f{indicator_pk}"


@transaction.atomic
def save_assessment_draft(*, actor, pk, entries: dict, uploads=(), expected_version=None):
    """Save the self-assessment draft (`save_draft`: scores and evidence texts, checked against
    the version the secretary saw) and store each of `uploads` ((indicator, file) pairs) as its
    indicator's evidence (`add_evidence`), all or nothing: a refused score or file leaves the
    draft as it was and stores no file. Every refused file is named at its indicator's field,
    so the person sees at once which to replace."""
    assessment = save_draft(actor=actor, pk=pk, entries=entries, expected_version=expected_version)
    stored, refused = [], {}
    try:
        for indicator, upload in uploads:
            try:
                stored.append(
                    add_evidence(
                        actor=actor, assessment=assessment, indicator=indicator, upload=upload
                    )
                )
            except ValidationError as exc:
                refused[evidence_field(indicator.pk)] = exc.messages
        if refused:
            raise ValidationError(refused)
    except BaseException:
        # files are not part of the transaction: those already written go with its rollback
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return assessment
