/** @odoo-module **/
/**
 * A deadline as the standard states it: in the user's time zone (their preference, as
 * the agency's printed records and e-mails use the company's; the browser's when the
 * user has none), no seconds, and a limit that
 * ends at midnight reads as 24:00 of its last day ("12月10日 24:00").  A
 * provisional deadline (counted through a year whose official holidays are not
 * loaded) carries a 暂定 / Provisional badge whose tooltip names the missing year.
 *
 *   <field name="stage_deadline" widget="tsq_deadline"
 *          options="{'provisional': 'stage_deadline_provisional', 'note': 'stage_deadline_note'}"/>
 */
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/** "2026年12月10日 24:00" / "Dec 10, 2026 24:00": as the server writes it in the portal,
 * the printed records, the activities and the e-mails (res.company._tsq_format_instant). */
export function formatDeadline(value) {
    if (!value) {
        return "";
    }
    let local = value.setZone(user.tz || "default");
    if (!local.isValid) {
        local = value.setZone("default");
    }
    let day = local;
    let time = local.toFormat("HH:mm");
    if (local.hour === 0 && local.minute === 0 && local.second === 0) {
        day = local.minus({ days: 1 });
        time = "24:00";
    }
    return `${day.toLocaleString({ year: "numeric", month: "short", day: "numeric" })} ${time}`;
}

export class TsqDeadlineField extends Component {
    static template = "tech_service_quality.DeadlineField";
    static props = {
        ...standardFieldProps,
        provisionalField: { type: String, optional: true },
        noteField: { type: String, optional: true },
    };

    get text() {
        return formatDeadline(this.props.record.data[this.props.name]);
    }
    get provisional() {
        const field = this.props.provisionalField;
        return Boolean(field && this.props.record.data[field] && this.props.record.data[this.props.name]);
    }
    get note() {
        const field = this.props.noteField;
        return (field && this.props.record.data[field]) || _t("Provisional: counted on weekdays only until the year's official holidays are loaded.");
    }
}

export const tsqDeadlineField = {
    component: TsqDeadlineField,
    displayName: _t("Deadline"),
    supportedTypes: ["datetime"],
    extractProps: ({ options }) => ({
        provisionalField: options.provisional,
        noteField: options.note,
    }),
    fieldDependencies: ({ options }) => {
        const deps = [];
        if (options.provisional) {
            deps.push({ name: options.provisional, type: "boolean", readonly: true });
        }
        if (options.note) {
            deps.push({ name: options.note, type: "char", readonly: true });
        }
        return deps;
    },
};

registry.category("fields").add("tsq_deadline", tsqDeadlineField);
