/** @odoo-module **/
/* A manager opens the Quality Dashboard: it opens on the company's figures of the last
   closed month, and still does after a reload and after coming Back from a drill-down;
   the records behind the valid-complaint rate's denominator open, and one of them. */
import { registry } from "@web/core/registry";

const card = ".o_kanban_record:contains('Valid-complaint rate')";

function checkSevenCompanyCards() {
    const cards = [...document.querySelectorAll(".o_kanban_record:not(.o_kanban_ghost)")];
    if (cards.length !== 7) {
        throw new Error(`expected the 7 company figures, found ${cards.length} cards`);
    }
    const labels = new Set(cards.map((c) => c.querySelector("[name=period_label]")?.textContent.trim()));
    if (labels.size !== 1) {
        throw new Error(`expected one period, found ${[...labels].join(", ")}`);
    }
}

const opensOnLastClosedMonth = [
    {
        content: "The dashboard opens on the last closed month, company level",
        trigger: ".o_searchview_facet:contains('Last Closed Month')",
    },
    {
        content: "The indicator cards show the figure against its target",
        trigger: `${card}:contains('Target')`,
    },
    {
        content: "Seven company figures of one month",
        trigger: `${card}`,
        run: checkSevenCompanyCards,
    },
];

registry.category("web_tour.tours").add("tsq_quality_dashboard", {
    steps: () => [
        ...opensOnLastClosedMonth,
        {
            content: "Reload the page",
            trigger: `${card}`,
            run() {
                window.location.reload();
            },
        },
        ...opensOnLastClosedMonth,
        {
            content: "Open the records behind the denominator",
            trigger: `${card} button[name=action_open_denominator]`,
            run: "click",
        },
        {
            content: "The services active that month are listed",
            trigger: ".o_list_view .o_data_row:contains('看板测试服务')",
        },
        {
            content: "Go back to the dashboard",
            trigger: ".o_list_view",
            run() {
                history.back();
            },
        },
        ...opensOnLastClosedMonth,
        {
            content: "Open the denominator again",
            trigger: `${card} button[name=action_open_denominator]`,
            run: "click",
        },
        {
            content: "Open one of the records",
            trigger: ".o_data_row:contains('看板测试服务') button[name=action_open_record]",
            run: "click",
        },
        {
            content: "The service's form is open",
            trigger: ".o_form_view .o_breadcrumb:contains('看板测试服务')",
        },
    ],
});
