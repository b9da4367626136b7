//! A pack's self-check as a QTI 1.2 assessment, the profile Common
//! Cartridge 1.1 imports as a quiz: single-answer questions as
//! `cc.multiple_choice.v0p1`, select-all-that-apply ones as
//! `cc.multiple_response.v0p1`, written ones as `cc.essay.v0p1`, with
//! each choice's feedback and the explanation shown after answering.

use crate::content::{Pack, Question, QuestionKind, SelfCheck};

use super::xml::Xml;

/// The QTI namespace of Common Cartridge 1.1 and its schema.
pub const NAMESPACE: &str = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2";
pub const SCHEMA: &str = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd";

/// The manifest's resource type for an assessment.
pub const RESOURCE_TYPE: &str = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment";

/// The assessment file of `pack`'s self-check, `ident` its identifier.
pub fn assessment(pack: &Pack, check: &SelfCheck, ident: &str) -> String {
    let mut xml = Xml::new();
    let location = format!("{NAMESPACE} {SCHEMA}");
    xml.open(
        "questestinterop",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &location),
        ],
    );
    let title = format!("Self-check: {}", pack.title);
    xml.open("assessment", &[("ident", ident), ("title", &title)]);
    xml.open("qtimetadata", &[]);
    field(&mut xml, "cc_profile", "cc.exam.v0p1");
    field(&mut xml, "qmd_assessmenttype", "Examination");
    field(&mut xml, "cc_maxattempts", "unlimited");
    xml.close();
    xml.open("section", &[("ident", "root_section")]);
    for question in &check.questions {
        item(&mut xml, question, ident);
    }
    xml.finish()
}

fn field(xml: &mut Xml, label: &str, entry: &str) {
    xml.open("qtimetadatafield", &[]);
    xml.text("fieldlabel", &[], label);
    xml.text("fieldentry", &[], entry);
    xml.close();
}

/// The identifier of choice `index` (0-based) of a question.
fn choice_ident(index: usize) -> String {
    format!("choice-{}", index + 1)
}

fn item(xml: &mut Xml, question: &Question, assessment: &str) {
    let ident = format!("{assessment}-q{}", question.number);
    let title = format!("Question {}", question.number);
    xml.open("item", &[("ident", &ident), ("title", &title)]);
    xml.open("itemmetadata", &[]);
    xml.open("qtimetadata", &[]);
    let profile = match question.kind {
        QuestionKind::Single => "cc.multiple_choice.v0p1",
        QuestionKind::Multiple => "cc.multiple_response.v0p1",
        QuestionKind::Written => "cc.essay.v0p1",
    };
    field(xml, "cc_profile", profile);
    if question.kind != QuestionKind::Written {
        field(xml, "cc_weighting", "1");
    }
    xml.close();
    xml.close();
    xml.open("presentation", &[]);
    material(xml, &question.html);
    match question.kind {
        QuestionKind::Written => {
            xml.open(
                "response_str",
                &[("ident", "response"), ("rcardinality", "Single")],
            );
            xml.empty("render_fib", &[]);
            xml.close();
        }
        kind => {
            let cardinality = if kind == QuestionKind::Single {
                "Single"
            } else {
                "Multiple"
            };
            xml.open(
                "response_lid",
                &[("ident", "response"), ("rcardinality", cardinality)],
            );
            xml.open("render_choice", &[]);
            for (i, choice) in question.choices.iter().enumerate() {
                xml.open("response_label", &[("ident", &choice_ident(i))]);
                material(xml, &choice.html);
                xml.close();
            }
            xml.close();
            xml.close();
        }
    }
    xml.close();
    processing(xml, question);
    feedback(xml, question);
    xml.close();
}

/// Full marks for exactly the correct choices; each choice's feedback
/// and the explanation shown after any answer.
fn processing(xml: &mut Xml, question: &Question) {
    xml.open("resprocessing", &[]);
    xml.open("outcomes", &[]);
    xml.empty(
        "decvar",
        &[
            ("varname", "SCORE"),
            ("vartype", "Decimal"),
            ("minvalue", "0"),
            ("maxvalue", "100"),
        ],
    );
    xml.close();
    if question.explanation.is_some() || question.model_answer.is_some() {
        xml.open("respcondition", &[("continue", "Yes")]);
        xml.open("conditionvar", &[]);
        xml.empty("other", &[]);
        xml.close();
        xml.empty(
            "displayfeedback",
            &[("feedbacktype", "Response"), ("linkrefid", "general_fb")],
        );
        xml.close();
    }
    for (i, choice) in question.choices.iter().enumerate() {
        if choice.feedback.is_none() {
            continue;
        }
        let ident = choice_ident(i);
        xml.open("respcondition", &[("continue", "Yes")]);
        xml.open("conditionvar", &[]);
        xml.text("varequal", &[("respident", "response")], &ident);
        xml.close();
        xml.empty(
            "displayfeedback",
            &[
                ("feedbacktype", "Response"),
                ("linkrefid", &format!("{ident}_fb")),
            ],
        );
        xml.close();
    }
    if question.kind != QuestionKind::Written {
        xml.open("respcondition", &[("continue", "No")]);
        xml.open("conditionvar", &[]);
        let correct: Vec<usize> = (0..question.choices.len())
            .filter(|&i| question.choices[i].correct)
            .collect();
        if question.kind == QuestionKind::Single {
            if let Some(&i) = correct.first() {
                xml.text("varequal", &[("respident", "response")], &choice_ident(i));
            }
        } else {
            xml.open("and", &[]);
            for (i, choice) in question.choices.iter().enumerate() {
                if choice.correct {
                    xml.text("varequal", &[("respident", "response")], &choice_ident(i));
                } else {
                    xml.open("not", &[]);
                    xml.text("varequal", &[("respident", "response")], &choice_ident(i));
                    xml.close();
                }
            }
            xml.close();
        }
        xml.close();
        xml.text("setvar", &[("varname", "SCORE"), ("action", "Set")], "100");
        xml.close();
    }
    xml.close();
}

fn feedback(xml: &mut Xml, question: &Question) {
    let general = match (&question.explanation, &question.model_answer) {
        (Some(e), Some(m)) => Some(format!("{e}\n{m}")),
        (Some(one), None) | (None, Some(one)) => Some(one.clone()),
        (None, None) => None,
    };
    if let Some(html) = general {
        feedback_block(xml, "general_fb", &html);
    }
    for (i, choice) in question.choices.iter().enumerate() {
        if let Some(html) = &choice.feedback {
            feedback_block(xml, &format!("{}_fb", choice_ident(i)), html);
        }
    }
}

fn feedback_block(xml: &mut Xml, ident: &str, html: &str) {
    xml.open("itemfeedback", &[("ident", ident)]);
    xml.open("flow_mat", &[]);
    material(xml, html);
    xml.close();
    xml.close();
}

fn material(xml: &mut Xml, html: &str) {
    xml.open("material", &[]);
    xml.text("mattext", &[("texttype", "text/html")], html);
    xml.close();
}
