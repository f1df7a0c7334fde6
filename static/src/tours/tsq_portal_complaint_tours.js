/** @odoo-module **/
import { registry } from "@web/core/registry";

// A client files a complaint from the portal ...
registry.category("web_tour.tours").add("tsq_portal_complaint_file", {
    url: "/my/complaints",
    steps: () => [
        {
            content: "start a new complaint",
            trigger: "a.o_tsq_new_complaint",
            run: "click",
        },
        {
            content: "subject",
            trigger: ".o_tsq_complaint_form input[name=subject]",
            run: "edit 报告数据与原始记录不一致",
        },
        {
            content: "the service concerned",
            trigger: ".o_tsq_complaint_form select[name=service_id]",
            run: "selectByLabel TSQ complaint service",
        },
        {
            content: "what happened",
            trigger: ".o_tsq_complaint_form textarea[name=description]",
            run: "edit 第 3 页的数据与原始记录不一致，请核实。",
        },
        {
            content: "submit",
            trigger: ".o_tsq_complaint_form button.o_tsq_submit_complaint",
            run: "click",
        },
        {
            content: "the complaint is registered, with its 24-hour commitment",
            trigger: ".o_tsq_success:contains(24)",
        },
        {
            content: "its deadlines are shown",
            trigger: ".o_tsq_complaint_clocks tbody tr:nth-child(2)",
        },
    ],
});

// ... and later, once the agency has given its feedback, rates the handling.
registry.category("web_tour.tours").add("tsq_portal_complaint_rate", {
    url: "/my/complaints",
    steps: () => [
        {
            content: "open the complaint",
            trigger: ".o_tsq_portal_complaints a:contains(HT)",
            run: "click",
        },
        {
            content: "the agency's feedback is shown",
            trigger: ".o_tsq_complaint_feedback:contains(已补发更正报告)",
        },
        {
            content: "choose 4",
            trigger: ".o_tsq_rate_form input[name=score][value='4']",
            run: "click",
        },
        {
            content: "comment",
            trigger: ".o_tsq_rate_form textarea[name=comments]",
            run: "edit 处理及时",
        },
        {
            content: "send the rating",
            trigger: ".o_tsq_rate_form button.o_tsq_rate_submit",
            run: "click",
        },
        {
            content: "thanked, and the rating is shown",
            trigger: ".o_tsq_success + .o_tsq_complaint .o_tsq_complaint_rated, .o_tsq_complaint_rated",
        },
    ],
});
