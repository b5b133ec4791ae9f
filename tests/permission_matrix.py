"""The permission matrix: every URL of the project times every persona, each cell the
answer DESIGN.md section 2 calls for (issue #7).

A row names a URL (its name, or for the admin site's unnamed routes its route), how to
build its arguments from the shared world (tests/permission_matrix_world.py), the method,
and the outcome for every persona. tests/test_permission_matrix.py runs every cell and
fails when a URL of the project has no row, or a row names no URL.

Outcomes
--------
OK          GET: a 2xx page or file. POST: the access gate let the request through to
            the form or the service, which answered 2xx (the form again, with its errors),
            or a redirect that is not to a login page (done, or refused with a message on
            the file page); for the API a 400 (the input was read and refused) counts too.
REDIRECT    GET answered by a redirect that is not to a login page.
LOGIN       302 to /accounts/login/?next=<the requested path>.
ADMIN_LOGIN 302 to /admin/login/?next=<the requested path> (the admin site's own gate).
401, 403, 404, 405  exactly that status.

Reading the rules from DESIGN.md: a district's guardianship sees its district's registry,
referrals and cases; an FSC sees what was transferred to it; a KDN member reads only the
files on the agenda of a meeting they sit on, in its review window; a referrer sees only
what its organisation sent; an analyst sees aggregated statistics only; the administrator
runs reference data and accounts, never case content. Invisible is 404, visible but not
allowed is 403 (casework/permissions.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.permission_matrix_world import (
    ANONYMOUS,
    CHILD_SURNAME,
    CONCERN_NARRATIVE,
    GUARDIANSHIP_SCAN,
    NOTICE_NARRATIVE,
    PERSONAS,
    TRIAGE_NOTE,
    VISIT_FINDINGS,
    World,
)

OK, REDIRECT, LOGIN, ADMIN_LOGIN = "ok", "redirect", "login", "admin-login"
GET, POST = "GET", "POST"

# --- who is who ---------------------------------------------------------------------------
SIGNED_IN = tuple(p for p in PERSONAS if p != ANONYMOUS)
GUARDIANSHIP = ("alice", "hanna")  # the world's district
ALL_GUARDIANSHIP = (*GUARDIANSHIP, "oscar")
CENTER = ("fatima", "farida", "gulnara")  # the FSC that received the notice
ALL_FSC = (*CENTER, "omar")
ON_THE_CASE = ("fatima", "gulnara")  # the lead and the center's head
KDN = ("saule", "kairat", "dana")
REFERRERS = ("rita", "pavel", "sam")
DISTRICT_CASEWORK = (*GUARDIANSHIP, *CENTER, *KDN)  # staff of the district's organisations
TWO_FACTOR_ROLES = ("hanna", "gulnara", "saule", "kairat", "dana", "adam")  # heads, KDN, admin


def cells(default=None, *, anonymous=LOGIN, **groups) -> dict[str, object]:
    """The outcome of every persona: `anonymous`, the groups given by outcome name
    (ok, redirect, forbidden=403, hidden=404, not_allowed=405, unauthorized=401,
    admin_login), and `default` for every other signed-in persona."""
    names = {
        "ok": OK, "redirect": REDIRECT, "login": LOGIN, "admin_login": ADMIN_LOGIN,
        "forbidden": 403, "hidden": 404, "not_allowed": 405, "unauthorized": 401,
    }  # fmt: skip
    result = {ANONYMOUS: anonymous}
    for group, personas in groups.items():
        for persona in personas:
            assert persona in SIGNED_IN and persona not in result, persona
            result[persona] = names[group]
    for persona in SIGNED_IN:
        if persona not in result:
            assert default is not None, f"no outcome for {persona}"
            result[persona] = default
    return result


EVERYONE_OK = cells(OK)


@dataclass(frozen=True)
class Row:
    name: str  # URL name ("admin:..." in the admin site), or an unnamed admin route
    expect: Mapping[str, object]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = GET
    data: Callable[[World], dict] = lambda w: {}
    variant: str = ""
    api: bool = False  # DRF: referrers use their organisation's token
    post_only: bool = False  # the view takes POST only: a GET answers 405
    route: str = ""  # for unnamed admin routes: the path to request, with {kwargs}
    at: Callable[[World], datetime] | None = None  # asked at this moment (time-machine)
    headers: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "-".join(filter(None, [self.name, self.variant, self.method]))


def pk(attribute: str, **more: Callable[[World], object]) -> Callable[[World], dict]:
    def kwargs(world: World) -> dict:
        return {"pk": getattr(world, attribute).pk, **{k: f(world) for k, f in more.items()}}

    return kwargs


def get_and_post(name, expect, **row) -> list[Row]:
    """A form page: shown on GET, submitted (empty) on POST; the gate answers both alike."""
    return [Row(name, expect, method=GET, **row), Row(name, expect, method=POST, **row)]


def post_only(name, expect, **row) -> Row:
    return Row(name, expect, method=POST, post_only=True, **row)


ROWS: list[Row] = []

# --- accounts, home, calendar, notifications, health -----------------------------------
ROWS += [
    Row("home", EVERYONE_OK),
    # A signed-in user asking for the login page is sent home (redirect_authenticated_user).
    Row("login", cells(REDIRECT, anonymous=OK)),
    Row("login", cells(OK, anonymous=OK), method=POST),
    Row("logout", cells(405, anonymous=405)),  # Django 5: sign-out is a POST
    Row("logout", cells(OK, anonymous=OK), method=POST),
    *get_and_post("password_change", EVERYONE_OK),
    Row("password_change_done", EVERYONE_OK),
    # The language switch is on the login page too.
    post_only("language_switch", cells(OK, anonymous=OK), data=lambda w: {"language": "kk"}),
    Row("worklist", EVERYONE_OK),
    Row("dashboard", cells(403, ok=("hanna", "gulnara", "saule", "nina"))),
    Row("staff_list", EVERYONE_OK),
    # The profile of bob, alice's colleague: his organisation, the district's casework
    # staff and the administrator see it; his head and the administrator change it.
    Row("staff_detail", cells(404, ok=(*DISTRICT_CASEWORK, "adam")), kwargs=pk("staff_profile")),
    *get_and_post(
        "staff_edit",
        cells(404, ok=("hanna", "adam"), forbidden=("alice", *CENTER, *KDN)),
        kwargs=pk("staff_profile"),
    ),
    Row("calendar_current", cells(REDIRECT)),
    Row("calendar_year", EVERYONE_OK, kwargs=lambda w: {"year": 2026}),
    Row("notification_list", EVERYONE_OK),
    post_only("notifications_mark_read", EVERYONE_OK, variant="all"),
    # One notification of alice's: nobody else can even find it.
    post_only(
        "notifications_mark_read",
        cells(404, ok=("alice",)),
        variant="one",
        data=lambda w: {"notification": str(w.notification.pk)},
    ),
    Row("healthz", cells(OK, anonymous=OK)),  # the load balancer's probe
    # The second factor. Its pages send on whoever has nothing to do there (no
    # authenticator yet: to the setup; already verified: to where they were going).
    Row("two_factor_verify", cells(REDIRECT)),
    Row("two_factor_verify", cells(OK), method=POST),
    *get_and_post("two_factor_setup", cells(OK)),
    # Those whose role requires a second factor cannot turn it off.
    post_only("two_factor_turn_off", cells(OK, forbidden=TWO_FACTOR_ROLES)),
    # Only the administrator resets someone's authenticator (bob's, here).
    post_only(
        "two_factor_reset",
        cells(404, ok=("adam",), forbidden=DISTRICT_CASEWORK),
        kwargs=pk("staff_profile"),
    ),
    post_only("session_keepalive", cells(OK)),
    # The page's idle clock ran out: anyone may end their own session.
    post_only("session_end_idle", cells(OK, anonymous=OK)),
    # A user's own drafts only (an empty save is refused as invalid).
    Row("form_draft_load", cells(OK)),
    post_only("form_draft_save", cells(400)),
    post_only("form_draft_discard", cells(OK)),
    Row("system_status", cells(403, ok=("adam",))),
    # What is archived in the district, for its head to restore.
    Row("archive_list", cells(403, ok=("hanna",))),
    # The audit log of a period: heads of guardianship (their district) and administrators.
    *get_and_post("audit_export", cells(403, ok=("hanna", "adam"))),
]

# --- the REST API (referrers with their organisation's token) ----------------------------
ROWS += [
    Row("api_me", cells(OK, anonymous=401), api=True),
    # The schema and its docs are public, for the referrers' developers (no data in them).
    Row("api_schema", cells(OK, anonymous=OK), api=True),
    Row("api_docs", cells(OK, anonymous=OK), api=True),
    # Each caller gets its own referrals (the access core); the rest an empty page.
    Row("api_referral_list", cells(OK, anonymous=401), api=True),
    # Only referring organisations submit; an empty body is then refused as invalid (400).
    Row(
        "api_referral_create",
        cells(403, anonymous=401, ok=REFERRERS),
        method=POST,
        api=True,
        post_only=True,
    ),
    Row(
        "api_referral_detail",
        cells(404, anonymous=401, ok=(*GUARDIANSHIP, "rita")),
        kwargs=pk("concern"),
        variant="concern",
        api=True,
    ),
    Row(
        "api_referral_detail",
        cells(404, anonymous=401, ok=(*GUARDIANSHIP, *CENTER, "pavel")),
        kwargs=pk("notice"),
        variant="notice",
        api=True,
    ),
]

# --- referrals -----------------------------------------------------------------------------
CONCERN_VIEWERS = (*GUARDIANSHIP, "rita")  # not transferred: no FSC sees it
NOTICE_VIEWERS = (*GUARDIANSHIP, *CENTER, "pavel")
ROWS += [
    Row("referral_list", cells(403, ok=(*ALL_GUARDIANSHIP, *ALL_FSC, *REFERRERS))),
    *get_and_post("referral_create", cells(403, ok=(*ALL_GUARDIANSHIP, *REFERRERS))),
    Row("fsc_inbox", cells(403, ok=ALL_FSC)),
]
for referral, viewers in (("concern", CONCERN_VIEWERS), ("notice", NOTICE_VIEWERS)):
    in_fsc = CENTER if referral == "notice" else ()
    assigned = ON_THE_CASE if referral == "notice" else ()  # fatima picked it up
    others = tuple(v for v in viewers if v not in GUARDIANSHIP)
    attachment = {"attachment_id": lambda w, r=referral: getattr(w, f"{r}_attachment").pk}
    ROWS += [
        Row("referral_detail", cells(404, ok=viewers), kwargs=pk(referral), variant=referral),
        Row(
            "referral_attachment",
            cells(404, ok=viewers),
            kwargs=pk(referral, **attachment),
            variant=referral,
        ),
        post_only("referral_attach", cells(404, ok=viewers), kwargs=pk(referral), variant=referral),
        post_only(
            "referral_link_child",
            cells(404, ok=GUARDIANSHIP, forbidden=others),
            kwargs=pk(referral),
            variant=referral,
        ),
        # Guardianship archives a referral it still has (the picked-up notice is the
        # FSC's: refused with a message); its head restores. The sender and the FSC see
        # the referral but may not.
        *get_and_post(
            "referral_archive",
            cells(404, ok=GUARDIANSHIP, forbidden=others),
            kwargs=pk(referral),
            variant=referral,
        ),
        post_only(
            "referral_restore",
            cells(404, ok=("hanna",), forbidden=("alice", *others)),
            kwargs=pk(referral),
            variant=referral,
        ),
        *get_and_post(
            "referral_attachment_archive",
            cells(404, ok=GUARDIANSHIP, forbidden=others),
            kwargs=pk(referral, **attachment),
            variant=referral,
        ),
        post_only(
            "referral_attachment_restore",
            cells(404, ok=("hanna",), forbidden=("alice", *others)),
            kwargs=pk(referral, **attachment),
            variant=referral,
        ),
    ]
    by_action = {
        "triage": GUARDIANSHIP,
        "transfer": GUARDIANSHIP,
        "pick_up": in_fsc,
        "return": in_fsc,
        "start_work": assigned,
        "close": assigned,
    }
    for action, allowed in by_action.items():
        ROWS.append(
            post_only(
                "referral_act",
                cells(404, ok=allowed, forbidden=tuple(v for v in viewers if v not in allowed)),
                kwargs=pk(referral, action=lambda w, a=action: a),
                variant=f"{referral}-{action}",
            )
        )
    ROWS.append(
        post_only(
            "referral_act",
            cells(404),
            kwargs=pk(referral, action=lambda w: "destroy"),
            variant=f"{referral}-unknown-action",
        )
    )

# The file guardianship added to the notice: its sender does not get it.
ROWS.append(
    Row(
        "referral_attachment",
        cells(404, ok=(*GUARDIANSHIP, *CENTER)),
        kwargs=pk("notice", attachment_id=lambda w: w.guardianship_scan.pk),
        variant="notice-guardianship-scan",
    )
)

# --- the registry: children, carers, families, imports, statistics -------------------------
REGISTRY = cells(403, ok=ALL_GUARDIANSHIP)  # lists and "new" forms: any guardianship
IN_DISTRICT = cells(404, ok=GUARDIANSHIP)  # a file of the world's district
RESTORE = cells(404, ok=("hanna",), forbidden=("alice",))  # out of the archive: the head
CHILD_SECTIONS = (
    "status", "disability", "view", "placement", "without-care", "databank", "removal",
    "document", "share",
)  # fmt: skip
ROWS += [
    Row("child_list", REGISTRY),
    *get_and_post("child_create", REGISTRY),
    Row("child_file", IN_DISTRICT, kwargs=pk("child")),
    # Who viewed the file: the district's head of guardianship only.
    Row("child_audit", cells(404, ok=("hanna",), forbidden=("alice",)), kwargs=pk("child")),
    *get_and_post("child_edit", IN_DISTRICT, kwargs=pk("child")),
    # Merging people is for the head.
    *get_and_post(
        "person_merge", cells(404, ok=("hanna",), forbidden=("alice",)), kwargs=pk("child")
    ),
    post_only(
        "placement_end",
        IN_DISTRICT,
        kwargs=pk("child", placement_id=lambda w: w.placement.pk),
    ),
    Row("child_document", IN_DISTRICT, kwargs=pk("child", document_id=lambda w: w.document.pk)),
    # Archive, never delete: the district's guardianship archives, its head restores
    # (nothing is archived in the world, so a restore is refused with a message: ok).
    *get_and_post("child_archive", IN_DISTRICT, kwargs=pk("child")),
    post_only("child_restore", RESTORE, kwargs=pk("child")),
    *get_and_post(
        "child_document_archive",
        IN_DISTRICT,
        kwargs=pk("child", document_id=lambda w: w.document.pk),
    ),
    post_only(
        "child_document_restore", RESTORE, kwargs=pk("child", document_id=lambda w: w.document.pk)
    ),
    post_only(
        "court_claim_filed", IN_DISTRICT, kwargs=pk("child", removal_id=lambda w: w.removal.pk)
    ),
    *[
        row
        for section in CHILD_SECTIONS
        for row in get_and_post(
            "child_section",
            IN_DISTRICT,
            kwargs=pk("child", section=lambda w, s=section: s),
            variant=section,
        )
    ],
    Row("child_section", cells(404), kwargs=pk("child", section=lambda w: "x"), variant="unknown"),
    Row("carer_list", REGISTRY),
    *get_and_post("carer_create", REGISTRY),
    Row("carer_file", IN_DISTRICT, kwargs=pk("carer")),
    *get_and_post("carer_archive", IN_DISTRICT, kwargs=pk("carer")),
    post_only("carer_restore", RESTORE, kwargs=pk("carer")),
    *[
        row
        for section in ("check", "inspection")
        for row in get_and_post(
            "carer_section",
            IN_DISTRICT,
            kwargs=pk("carer", section=lambda w, s=section: s),
            variant=section,
        )
    ],
    Row("family_list", REGISTRY),
    *get_and_post("family_create", REGISTRY),
    Row("family_file", IN_DISTRICT, kwargs=pk("family")),
    Row("family_audit", cells(404, ok=("hanna",), forbidden=("alice",)), kwargs=pk("family")),
    *get_and_post("family_archive", IN_DISTRICT, kwargs=pk("family")),
    post_only("family_restore", RESTORE, kwargs=pk("family")),
    *[
        row
        for section in ("member", "situation", "situation-end", "police")
        for row in get_and_post(
            "family_section",
            IN_DISTRICT,
            kwargs=pk("family", section=lambda w, s=section: s),
            variant=section,
        )
    ],
    *get_and_post(
        "police_deregister",
        IN_DISTRICT,
        kwargs=pk("family", registration_id=lambda w: w.registration.pk),
    ),
    Row("registry_import_list", REGISTRY),
    *get_and_post("registry_import_upload", REGISTRY),
    Row("registry_import_template", REGISTRY),
    Row("registry_import", IN_DISTRICT, kwargs=pk("registry_import")),
    post_only("registry_import_start", IN_DISTRICT, kwargs=pk("registry_import")),
    # Figures: guardianship its district in full, the analyst the region de-identified.
    Row("statistics", cells(403, ok=(*ALL_GUARDIANSHIP, "nina"))),
    *[
        Row(
            "statistics_export",
            cells(403, ok=(*ALL_GUARDIANSHIP, "nina")),
            kwargs=lambda w, f=fmt: {"fmt": f},
            variant=fmt,
        )
        for fmt in ("csv", "xlsx")
    ],
]

# --- FSC cases -------------------------------------------------------------------------------
CASE_VIEWERS = (*CENTER, *GUARDIANSHIP)  # the center and the district's guardianship
CHANGE = cells(404, ok=ON_THE_CASE, forbidden=("farida", *GUARDIANSHIP))  # lead/team, heads
APPROVE = cells(404, ok=("gulnara",), forbidden=("fatima", "farida", *GUARDIANSHIP))
SEE_CASE = cells(404, ok=CASE_VIEWERS)
ROWS += [
    Row("case_list", cells(403, ok=(*ALL_GUARDIANSHIP, *ALL_FSC))),
    *get_and_post("case_open", cells(403, ok=ALL_FSC)),
    Row("case_detail", SEE_CASE, kwargs=pk("case")),
    # Who viewed the case: the center's head and the district's head of guardianship.
    Row(
        "case_audit",
        cells(404, ok=("gulnara", "hanna"), forbidden=("fatima", "farida", "alice")),
        kwargs=pk("case"),
    ),
    *get_and_post("case_assign", CHANGE, kwargs=pk("case")),  # the lead or a head
    Row("case_assessment", SEE_CASE, kwargs=pk("draft_case")),
    Row("case_assessment", CHANGE, kwargs=pk("draft_case"), method=POST),
    Row("case_plan", SEE_CASE, kwargs=pk("case")),
    Row("case_plan_version", SEE_CASE, kwargs=pk("case", version=lambda w: 1)),
    post_only("plan_revise", CHANGE, kwargs=pk("case")),
    post_only("measure_add", CHANGE, kwargs=pk("case")),
    *[
        post_only(
            "plan_act",
            APPROVE if action in {"approve", "return"} else CHANGE,
            kwargs=pk("case", plan_id=lambda w: w.draft_plan.pk, action=lambda w, a=action: a),
            variant=action,
        )
        for action in ("goal", "submit", "approve", "return", "sign")
    ],
    post_only(
        "plan_act",
        cells(404),
        kwargs=pk("case", plan_id=lambda w: w.draft_plan.pk, action=lambda w: "burn"),
        variant="unknown",
    ),
    *get_and_post("measure_done", CHANGE, kwargs=pk("case", measure_id=lambda w: w.measure.pk)),
    post_only("measure_drop", CHANGE, kwargs=pk("case", measure_id=lambda w: w.draft_measure.pk)),
    *get_and_post("contact_add", CHANGE, kwargs=pk("case")),
    Row(
        "case_attachment",
        SEE_CASE,
        kwargs=pk("case", attachment_id=lambda w: w.case_attachment.pk),
    ),
    *[
        post_only(
            "case_act", CHANGE, kwargs=pk("case", action=lambda w, a=action: a), variant=action
        )
        for action in ("close", "reopen", "inform", "kdn")
    ],
    post_only(
        "case_act", cells(404), kwargs=pk("case", action=lambda w: "burn"), variant="unknown"
    ),
]

# --- the commission ----------------------------------------------------------------------------
SECRETARY_ONLY = cells(403, ok=("saule",))
MEETING_READERS = ("saule", "kairat")  # the secretary, a member sitting on it
ITEM_READERS = (*MEETING_READERS, *CENTER)  # and the organisation that submitted it
ROWS += [
    Row("kdn_home", cells(403, ok=KDN)),
    *get_and_post("kdn_meeting_create", SECRETARY_ONLY),
    Row("kdn_meeting", cells(404, ok=MEETING_READERS), kwargs=pk("meeting")),
    *[
        post_only(
            "kdn_meeting_act",
            cells(404, ok=("saule",), forbidden=("kairat",)),
            kwargs=pk("meeting", action=lambda w, a=action: a),
            variant=action,
        )
        for action in ("publish", "cancel", "close", "attendance", "schedule")
    ],
    post_only(
        "kdn_meeting_act",
        cells(404, forbidden=("kairat",)),  # the gate answers first
        kwargs=pk("meeting", action=lambda w: "burn"),
        variant="unknown",
    ),
    Row("kdn_item", cells(404, ok=ITEM_READERS), kwargs=pk("item")),
    # After the review window the member reads nothing more; the others still do.
    Row(
        "kdn_item",
        cells(404, ok=("saule", *CENTER)),
        kwargs=pk("item"),
        variant="after-review-window",
        at=lambda w: w.meeting.review_until + timedelta(minutes=1),
    ),
    Row(
        "kdn_meeting",
        cells(404, ok=("saule",)),
        kwargs=pk("meeting"),
        variant="after-review-window",
        at=lambda w: w.meeting.review_until + timedelta(minutes=1),
    ),
    Row("kdn_packet", cells(404, ok=ITEM_READERS), kwargs=pk("item")),
    *get_and_post(
        "kdn_decide",
        cells(404, ok=("saule",), forbidden=(*CENTER, "kairat")),
        kwargs=pk("item"),
    ),
    post_only(
        "kdn_unschedule",
        cells(404, ok=("saule",), forbidden=(*CENTER, "kairat")),
        kwargs=pk("item"),
    ),
    # The decision: the secretary, its owner (fatima) and the owner's organisation see it;
    # the owner and the owner organisation's head report its execution.
    Row("kdn_decision", cells(404, ok=("saule", *CENTER)), kwargs=pk("decision")),
    Row(
        "kdn_decision",
        cells(404, ok=ON_THE_CASE, forbidden=("saule", "farida")),
        kwargs=pk("decision"),
        method=POST,
    ),
    # Guardianship puts its district's child or family before the commission.
    *[
        row
        for kind in ("child", "family")
        for row in get_and_post(
            "kdn_submit",
            cells(403, ok=GUARDIANSHIP, hidden=("oscar", *ALL_FSC)),
            kwargs=lambda w, k=kind: {"kind": k, "pk": getattr(w, k).pk},
            variant=kind,
        )
    ],
    Row(
        "kdn_submit",
        cells(403, hidden=(*ALL_GUARDIANSHIP, *ALL_FSC)),
        kwargs=lambda w: {"kind": "carer", "pk": w.carer.pk},
        variant="unknown",
    ),
]

# --- the admin site ------------------------------------------------------------------------------
# One group: everybody but the administrator is sent to the admin site's own login (none of
# them is staff); the administrator gets the reference data and accounts
# (casework.services.organisations.ADMINISTRATOR_PERMISSIONS) and nothing that holds case
# content or personal reads: not the audit log, not notifications, not the history events.
NOT_STAFF = {"default": ADMIN_LOGIN, "anonymous": ADMIN_LOGIN}


def admin_cells(administrator) -> dict[str, object]:
    return {**cells(ADMIN_LOGIN, anonymous=ADMIN_LOGIN), "adam": administrator}


# model -> the administrator's answer on its changelist, add, change, history and delete
# pages, and on the bare object address (which redirects to the change page).
FULL = {"changelist": OK, "add": OK, "change": OK, "history": OK, "delete": 403, "": REDIRECT}
NONE = {"changelist": 403, "add": 403, "change": 403, "history": 403, "delete": 403, "": REDIRECT}
READ = {**NONE, "changelist": OK, "change": OK, "history": OK}
ADMIN_MODELS = {
    # model key: (the administrator's answers, the world's object of that model)
    "auth_group": (NONE, "group"),  # permissions go through roles, not groups
    "casework_region": (FULL, "region"),
    "casework_district": (FULL, "almaly"),
    "casework_organisation": (FULL, "fsc"),
    "casework_user": (FULL, "staff_profile"),
    "casework_calendaroverride": ({**FULL, "delete": OK}, "calendar_override"),
    "casework_auditread": (NONE, "audit_read"),  # who read which child's file
    "casework_auditalert": (NONE, "audit_alert"),  # names whose reading looked unusual
    "casework_notification": (NONE, "notification"),  # their text is case content
    "casework_breach": (READ, "breach"),
    "casework_apitoken": ({**READ, "add": OK}, "api_token"),  # issued, never edited
    "pghistory_events": (NONE, "event"),  # every tracked model's history
    # Sign-in security: the administrator unlocks a username (deletes its failed
    # attempts) and reads the sign-in log; neither is written by hand.
    "axes_accessattempt": ({**READ, "delete": OK}, "access_attempt"),
    "axes_accesslog": (READ, "access_log"),
}


def _admin_object(attribute):
    from django.contrib.admin.utils import quote

    return lambda w: {"object_id": quote(getattr(w, attribute).pk)}


for model, (answers, attribute) in ADMIN_MODELS.items():
    app_label, model_name = model.split("_", 1)
    ROWS += [
        Row(f"admin:{model}_changelist", admin_cells(answers["changelist"])),
        Row(f"admin:{model}_add", admin_cells(answers["add"])),
        *[
            Row(
                f"admin:{model}_{view}", admin_cells(answers[view]), kwargs=_admin_object(attribute)
            )
            for view in ("change", "history", "delete")
        ],
        Row(
            f"admin/{app_label}/{model_name}/<path:object_id>/",
            admin_cells(answers[""]),
            kwargs=_admin_object(attribute),
            route=f"/admin/{app_label}/{model_name}/{{object_id}}/",
        ),
    ]
ROWS += [
    Row("admin:index", admin_cells(OK)),
    # The login page answers everyone; it sends the administrator, already in, to the index.
    # The admin site's login address sends everyone to the one sign-in of the app
    # (lockout and second factor included).
    Row("admin:login", cells(REDIRECT, anonymous=REDIRECT)),
    Row("admin_login_redirect", cells(REDIRECT, anonymous=REDIRECT)),
    # Signing out of the admin site is a POST; the others are sent to its index (and on).
    Row("admin:logout", {**cells(REDIRECT, anonymous=REDIRECT), "adam": 405}),
    Row("admin:password_change", admin_cells(OK)),
    Row("admin:password_change_done", admin_cells(OK)),
    Row("admin:autocomplete", admin_cells(403)),  # without a field to complete
    Row("admin:jsi18n", admin_cells(OK)),
    Row(
        "admin:view_on_site",
        admin_cells(404),  # a region has no page of its own on the site
        kwargs=lambda w: {
            "content_type_id": str(
                __import__("django.contrib.contenttypes.models", fromlist=["ContentType"])
                .ContentType.objects.get_for_model(w.region)
                .pk
            ),
            "object_id": str(w.region.pk),
        },
    ),
    Row(
        "admin:auth_user_password_change",
        admin_cells(OK),
        kwargs=lambda w: {"id": str(w.staff_profile.pk)},
    ),
    *[
        Row(
            "admin:app_list",
            admin_cells(answer),
            kwargs=lambda w, a=app: {"app_label": a},
            variant=app,
        )
        for app, answer in (("casework", OK), ("auth", 404), ("pghistory", 404))
    ],
    Row(
        "admin/(?P<url>.*)$",
        admin_cells(404),
        route="/admin/no-such-page/",
    ),
]


# --- what each page may show ------------------------------------------------------------------
# A text answer (HTML, JSON, CSV) that contains one of these words shows that file's content:
# only the personas listed may ever get one (every cell of the matrix is checked).
CANARIES = {
    CHILD_SURNAME: GUARDIANSHIP,  # the child's file, the family's
    CONCERN_NARRATIVE: CONCERN_VIEWERS,
    NOTICE_NARRATIVE: NOTICE_VIEWERS,
    # A referrer sees what it sent and where it stands (DESIGN.md: "the status of their own
    # referrals only"), not the receiving authorities' notes and files.
    TRIAGE_NOTE: GUARDIANSHIP,
    GUARDIANSHIP_SCAN: (*GUARDIANSHIP, *CENTER),
    # The commission reads the case's history in the agenda item's one-page summary.
    VISIT_FINDINGS: (*CASE_VIEWERS, *MEETING_READERS),
}
