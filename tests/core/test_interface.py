"""What every page shares: the error summary of a form sent back, the feed copy button."""

from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_summary, self.links = False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "error-summary" in (attrs.get("class") or ""):
            self.in_summary = True
        if self.in_summary and tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "div":
            self.in_summary = False


def test_a_form_sent_back_lists_its_errors_at_the_top_with_links(client):
    response = client.post("/clubs/inscription", data={"email": "not an address"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    parser = _Links()
    parser.feed(html)
    # One link per field in error, to the field itself, before the form.
    assert parser.links, html
    assert all(f'id="{href[1:]}"' in html for href in parser.links)
    assert "#email" in parser.links
    assert html.index('class="error-summary"') < html.index('id="email"')


def test_no_summary_on_a_fresh_form(client):
    assert 'class="error-summary"' not in client.get("/clubs/inscription").get_data(as_text=True)


def test_a_feed_address_has_its_copy_button(client, edition):
    html = client.get(f"/calendrier/editions/{edition.slug}").get_data(as_text=True)

    assert 'id="feed-url"' in html
    assert 'data-copy="feed-url"' in html
    assert "style=" not in html
