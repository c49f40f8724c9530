from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from segmentation.models import (
    Campaign,
    CampaignOutcome,
    Persona,
    PersonaCampaign,
    RunActivation,
    Segment,
    SegmentationRun,
    SegmentationSchedule,
)
from segmentation.services.runs import segmentation_run_activate
from segmentation.services.schedules import schedule_check, schedule_delete, schedule_save


class PersonaCampaignInline(admin.TabularInline):
    model = PersonaCampaign
    extra = 1
    autocomplete_fields = ("campaign",)


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ("name", "rule_in_words", "campaign_count")
    search_fields = ("name",)
    inlines = (PersonaCampaignInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("campaign_links")

    @admin.display(description="rule")
    def rule_in_words(self, persona: Persona) -> str:
        return " · ".join(f"{feature.replace('_', ' ')} {level}" for feature, level in persona.rule.items())

    @admin.display(description="campaigns")
    def campaign_count(self, persona: Persona) -> int:
        return len(persona.campaign_links.all())


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "channel", "offer")
    list_filter = ("channel",)
    search_fields = ("title", "offer")


@admin.register(CampaignOutcome)
class CampaignOutcomeAdmin(admin.ModelAdmin):
    """Outcomes arrive by import (Import page, kind "Campaign outcomes"); here they are looked up and
    corrected one by one."""

    list_display = ("sent_on", "campaign", "customer", "control", "responded", "revenue")
    list_filter = ("campaign", "control", "responded")
    search_fields = ("customer__external_id", "campaign__title")
    date_hierarchy = "sent_on"
    raw_id_fields = ("customer",)
    list_select_related = ("campaign", "customer")


class SegmentInline(admin.TabularInline):
    model = Segment
    fields = ("number", "name", "persona", "size", "share", "levels", "silhouette")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SegmentationRun)
class SegmentationRunAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "started_by", "status", "k", "silhouette", "is_active")
    list_filter = ("status", "is_active")
    list_select_related = ("started_by",)
    inlines = (SegmentInline,)
    actions = ("make_active",)
    readonly_fields = [field.name for field in SegmentationRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # runs are started in the portal, the API or with `manage.py segment`

    @admin.action(description="Make the selected run active")
    def make_active(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one run to make active.", messages.ERROR)
            return
        try:
            run = segmentation_run_activate(run=queryset.get(), activated_by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"Run {run.pk} is now the active run.", messages.SUCCESS)


@admin.register(RunActivation)
class RunActivationAdmin(admin.ModelAdmin):
    """Which run was active when, and who chose it: a record, read only."""

    list_display = ("run", "activated_at", "activated_by")
    list_select_related = ("run", "activated_by")
    date_hierarchy = "activated_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ScheduleAdminForm(forms.ModelForm):
    """The schedule's own fields, with its crontab and whether it runs, checked as the portal does."""

    cron = forms.CharField(help_text="minute hour day-of-month month weekday, e.g. 0 6 * * 1")
    enabled = forms.BooleanField(required=False, initial=True)

    class Meta:
        model = SegmentationSchedule
        fields = ["name", "run_parameters", "max_silhouette_drop", "min_customers_kept"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(cron=self.instance.cron, enabled=self.instance.enabled)

    def clean(self):
        cleaned = super().clean()
        if "cron" in cleaned and "run_parameters" in cleaned:
            schedule_check(cron=cleaned["cron"], run_parameters=cleaned["run_parameters"])
        return cleaned


@admin.register(SegmentationSchedule)
class SegmentationScheduleAdmin(admin.ModelAdmin):
    """Schedules, saved and deleted through the service, which keeps their beat tasks in step."""

    form = ScheduleAdminForm
    list_display = ("name", "when_in_words", "enabled", "created_by")
    list_select_related = ("periodic_task__crontab", "created_by")

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        saved = schedule_save(
            user=request.user,
            schedule=obj if change else None,
            **{name: data[name] for name in ("name", "cron", "enabled", "run_parameters")},
            max_silhouette_drop=data["max_silhouette_drop"],
            min_customers_kept=data["min_customers_kept"],
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        schedule_delete(user=request.user, schedule=obj)

    def delete_queryset(self, request, queryset) -> None:
        for schedule in queryset:
            schedule_delete(user=request.user, schedule=schedule)
