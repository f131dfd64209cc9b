"""Publishing on the office website (การเผยแพร่ข้อมูลทางเว็บไซต์)."""

from plugins.website.plugin import WebsitePlugin

plugin = WebsitePlugin()
