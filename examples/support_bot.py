"""A customer-support assistant built on the OpenAI Python SDK."""
import logging
from datetime import datetime

from openai import OpenAI

client = OpenAI()
log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You are Ada, the support assistant for Northwind Cloud.
Answer questions about billing, deployments and the dashboard.
Be concise, cite the relevant help-center article when you know it,
and never invent features that are not in the product.
If a question is about a security incident, ask the user to contact security@northwind.example."""


def answer(user_name: str, question: str) -> str:
    log.info("answering question for %s", user_name)
    response = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {
                "role": "user",
                "content": f"Today is {datetime.now():%Y-%m-%d}. My name is {user_name}.\n\nQuestion: {question}",
            },
        ],
    )
    return response.choices[0].message.content


summary_template = "Summarise the following support conversation in three bullet points for {audience}:\n\n{conversation}"


def summarise(conversation: str) -> str:
    prompt = summary_template.format(audience="the on-call engineer", conversation=conversation)
    return client.responses.create(model="gpt-4o-mini", input=prompt).output_text
