/** @odoo-module **/
/**
 * A warning above the working-calendar screens and the Quality Dashboard while the
 * calendar lacks this year's (or, from the year-end guard day, next year's) official
 * holidays: deadlines counted through such a year are provisional.
 */
import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

export class TsqCalendarBanner extends Component {
    static template = "tech_service_quality.CalendarBanner";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.state = useState({ message: false });
        onWillStart(async () => {
            this.state.message = await this.orm.call("res.company", "tsq_calendar_banner", []);
        });
    }
}

export class TsqCalendarListController extends ListController {
    static template = "tech_service_quality.CalendarListView";
    static components = { ...ListController.components, TsqCalendarBanner };
}

export class TsqCalendarKanbanController extends KanbanController {
    static template = "tech_service_quality.CalendarKanbanView";
    static components = { ...KanbanController.components, TsqCalendarBanner };
}

registry.category("views").add("tsq_calendar_list", {
    ...listView,
    Controller: TsqCalendarListController,
});
registry.category("views").add("tsq_calendar_kanban", {
    ...kanbanView,
    Controller: TsqCalendarKanbanController,
});
