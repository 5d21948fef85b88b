"""Scrapy project: spiders that read job ads and item pipelines that normalise them."""
