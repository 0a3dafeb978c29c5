"""Translation status and the round trip with translators.

Which texts are translated, missing or outdated in each configured language (`status.py`), from
a fingerprint of the German source kept for every translation text that was saved
(`stamps.py`, `models.TranslationStamp`); XLIFF 1.2 files for a translation agency and their
import back, recorded and undone like a file import (`xliff.py`, the transfer app's change
sets). The translated fields are modeltranslation's registry (`fields.py`): a model or field
registered there later is covered without a change here.
"""
