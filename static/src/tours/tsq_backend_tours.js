/** @odoo-module **/
/* A manager reviews a service at reception: gives the feasibility approval the
   checklist still needs, then passes the gate; the service moves to S2. */
import { registry } from "@web/core/registry";

const approvalRow =
    ".o_field_widget[name=current_gate_item_ids] .o_data_row:contains('Feasibility approved')";

registry.category("web_tour.tours").add("tsq_backend_pass_gate", {
    steps: () => [
        {
            content: "The service is at reception (S1)",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('S1')",
        },
        {
            content: "The gate says what is still missing",
            trigger: ".alert-warning:contains('Approval missing: Feasibility approved')",
        },
        {
            content: "Give the feasibility approval",
            trigger: `${approvalRow} button[name=action_mark_done]`,
            run: "click",
        },
        {
            content: "The approval is recorded",
            trigger: `${approvalRow} button[name=action_mark_undone]`,
        },
        {
            content: "Pass the gate",
            trigger: ".o_form_view .o_form_statusbar button[name=action_pass_gate]",
            run: "click",
        },
        {
            content: "The service is now in S2",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('S2')",
        },
    ],
});

/* A manager opens a service whose stage deadline runs into a year whose official
   holidays are not loaded: the date carries the Provisional badge, whose tooltip
   names the year, and the note under it says the same. */
registry.category("web_tour.tours").add("tsq_provisional_deadline", {
    steps: () => [
        {
            content: "The stage deadline is marked provisional",
            trigger: ".o_form_view .o_field_widget[name=stage_deadline] .o_tsq_provisional[title*='2027']",
        },
        {
            content: "A limit ending at midnight reads as 24:00 of its last day, in the user's time zone",
            trigger: ".o_form_view .o_field_widget[name=stage_deadline]:contains('24:00')",
        },
        {
            content: "The note names the missing year",
            trigger: ".o_form_view .o_field_widget[name=stage_deadline_note]:contains('2027')",
        },
    ],
});
