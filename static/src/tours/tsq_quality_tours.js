/** @odoo-module **/
/* A manager opens the Quality Dashboard, opens the records behind the
   valid-complaint rate's denominator, and opens one of them. */
import { registry } from "@web/core/registry";

const card = ".o_kanban_record:contains('Valid-complaint rate')";

registry.category("web_tour.tours").add("tsq_quality_dashboard", {
    steps: () => [
        {
            content: "The indicator cards show the figure against its target",
            trigger: `${card}:contains('Target')`,
        },
        {
            content: "Open the records behind the denominator",
            trigger: `${card} button[name=action_open_denominator]`,
            run: "click",
        },
        {
            content: "The services active this month are listed",
            trigger: ".o_list_view .o_data_row:contains('看板测试服务')",
        },
        {
            content: "Open one of them",
            trigger: ".o_data_row:contains('看板测试服务') button[name=action_open_record]",
            run: "click",
        },
        {
            content: "The service's form is open",
            trigger: ".o_form_view .o_breadcrumb:contains('看板测试服务')",
        },
    ],
});
