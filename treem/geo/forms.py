from django import forms
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Commune, Village


class VillageForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Xã, phường"), queryset=Commune.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=Village.Kind.choices)
    name = forms.CharField(label=_("Tên"), max_length=100)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if communes.count() == 1:
            self.fields["commune"].initial = communes.first()
