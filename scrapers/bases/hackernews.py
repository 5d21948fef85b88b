"""Hacker News "Ask HN: Who is hiring?" through the Algolia HN Search API
(https://hn.algolia.com/api).

The `whoishiring` account posts three threads a month ("Who is hiring?", "Who wants to be
hired?", "Freelancer? Seeking freelancer?"); the newest "Who is hiring?" is read in one call
to `/api/v1/items/{id}`, which returns the whole comment tree. Each top-level comment is
one employer's post; replies are discussion, never jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider
from scrapers.bases.hn_comment import first_link, parse_comment
from scrapers.items import JobPosting

THREAD_PREFIX = "Ask HN: Who is hiring"
COMMENT_URL = "https://news.ycombinator.com/item?id={id}"


class HackerNewsSpider(ApiSpider):
    api_url = "https://hn.algolia.com"
    story_id: str | None = None  # read this thread instead of the newest one

    async def start(self) -> AsyncIterator[JsonRequest]:
        if self.story_id:
            yield self.thread_request(self.story_id)
        else:
            yield JsonRequest(f"{self.api_url}/api/v1/search_by_date?tags=story,author_whoishiring",
                              callback=self.parse_search)

    def thread_request(self, story_id: Any) -> JsonRequest:
        return JsonRequest(f"{self.api_url}/api/v1/items/{story_id}", callback=self.parse_thread)

    def parse_search(self, response: Response) -> Iterator[JsonRequest]:
        found = self.load_json(response)
        hits = found.get("hits") if isinstance(found, dict) else None
        threads = [h for h in hits or [] if isinstance(h, dict)
                   and str(h.get("title") or "").startswith(THREAD_PREFIX) and h.get("objectID")]
        if not threads:
            self.logger.error("no %r thread in %s", THREAD_PREFIX, response.url)
            return
        newest = max(threads, key=lambda h: (h.get("created_at_i") or 0, h.get("created_at") or ""))
        yield self.thread_request(newest["objectID"])

    def parse_thread(self, response: Response) -> Iterator[JobPosting]:
        story = self.load_json(response)
        if not isinstance(story, dict):
            self.skip(f"{response.url} is not a story with comments")
            return
        yield from self.items_from(story.get("children"), self.comment_item)

    def comment_item(self, comment: dict[str, Any]) -> JobPosting | None:
        body = comment.get("text")
        if not isinstance(body, str) or not body.strip():
            self.count("deleted")  # Algolia keeps deleted comments with null author and text
            return None
        post = parse_comment(body)
        if post is None:
            self.count("unparsed")
            return None
        comment_id = str(comment["id"])
        return JobPosting(
            source=self.name,
            source_id=comment_id,
            url=first_link(body) or COMMENT_URL.format(id=comment_id),
            title=post.title,
            company=post.company,
            location=post.location,
            remote=post.remote,
            employment_type=post.employment_type,
            salary_text=post.salary_text,
            posted_at=comment.get("created_at_i") or comment.get("created_at"),
            description_html=body,
        )
