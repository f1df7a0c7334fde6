/** @odoo-module **/

import { registry } from "@web/core/registry";

// These tours rely on data created by tests/test_portal.py: a service of the
// portal user's company named "TSQ tour service", in S5, with a submission
// awaiting the client.

registry.category("web_tour.tours").add("tsq_portal_accept_signature", {
    url: "/my/services",
    steps: () => [
        {
            content: "open the service",
            trigger: ".o_tsq_portal_services a:contains(TSQ tour service)",
            run: "click",
        },
        {
            content: "the service page is shown",
            trigger: ".o_tsq_portal_service .o_tsq_acceptance_state:contains(Awaiting client)",
        },
        {
            content: "open the acceptance dialog",
            trigger: "#tsq_accept_button",
            run: "click",
        },
        {
            content: "the signer's name is filled in",
            trigger: ".modal .o_web_sign_name_and_signature input[name=signer]:value(portal_a)",
        },
        {
            content: "choose a signature style",
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            content: "pick the fourth style: the signature is drawn",
            trigger: ".o-dropdown-item:eq(3)",
            run: "click",
        },
        {
            // the auto signature is painted once its font has loaded: the button
            // can be enabled before that, and a blank pad would be refused
            content: "wait until the signature is painted on the pad",
            trigger: ".modal .o_web_sign_signature canvas, .modal canvas.o_web_sign_signature",
            async run() {
                const canvas = this.anchor;
                for (let attempt = 0; attempt < 100; attempt++) {
                    const { data } = canvas
                        .getContext("2d")
                        .getImageData(0, 0, canvas.width, canvas.height);
                    if (data.some((value, index) => index % 4 === 3 && value !== 0)) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                throw new Error("The signature was never painted on the pad.");
            },
        },
        {
            content: "sign and accept",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "the delivery is accepted",
            trigger: ".o_tsq_portal_service .o_tsq_acceptance_state:contains(Accepted)",
        },
        {
            content: "the signature is shown",
            trigger: ".o_tsq_portal_service .o_tsq_acceptance_signature img",
        },
    ],
});

registry.category("web_tour.tours").add("tsq_portal_objection", {
    url: "/my/services",
    steps: () => [
        {
            content: "open the service",
            trigger: ".o_tsq_portal_services a:contains(TSQ tour service)",
            run: "click",
        },
        {
            content: "open the objection dialog",
            trigger: "#tsq_objection_button",
            run: "click",
        },
        {
            content: "give the reason",
            trigger: "#tsq_objection_form textarea[name=reason]",
            run: "edit The report misses chapter 3 <script>alert(1)</script>",
        },
        {
            content: "send the objection",
            trigger: "#tsq_objection_form button[type=submit]",
            run: "click",
        },
        {
            content: "the objection is recorded",
            trigger: ".o_tsq_portal_service .o_tsq_acceptance_state:contains(Objection)",
        },
        {
            content: "the reason is shown",
            trigger: ".o_tsq_portal_service .o_tsq_objection:contains(misses chapter 3)",
        },
    ],
});
