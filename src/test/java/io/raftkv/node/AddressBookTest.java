package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressBookTest {

  @Test
  void aMembershipContextCarriesTheSubjectAndEveryOtherKnownMember() {
    AddressBook leader = new AddressBook(1);
    leader.put(1, "h1:1", "h1:80");
    leader.put(2, "h2:2", null);
    byte[] context = leader.encodeContext(4, "h4:4", "h4:80", false);
    assertThat(new String(context, StandardCharsets.UTF_8)).isEqualTo("h4:4 h4:80\n1 h1:1 h1:80\n2 h2:2 -");

    AddressBook joiner = new AddressBook(4);
    joiner.put(4, "h4:4", "h4:80");
    joiner.learn(4, context);
    assertThat(joiner.peersExceptSelf()).isEqualTo(Map.of(1L, "h1:1", 2L, "h2:2"));
    assertThat(joiner.get(1)).isEqualTo(new AddressBook.Member("h1:1", "h1:80"));
  }

  @Test
  void directKnowledgeWinsOverSecondHandAndSelfIsNeverOverridden() {
    AddressBook book = new AddressBook(1);
    book.put(1, "me:1", null);
    book.put(2, "new2:2", null);
    book.learn(3, "h3:3 -\n1 evil:1 -\n2 old2:2 -".getBytes(StandardCharsets.UTF_8));
    book.learn(1, "evil:1 evil:80".getBytes(StandardCharsets.UTF_8));
    assertThat(book.get(1).peer()).isEqualTo("me:1");
    assertThat(book.get(2).peer()).isEqualTo("new2:2");
    assertThat(book.get(3).peer()).isEqualTo("h3:3");
  }

  @Test
  void theStoredFormRoundTripsAndRemovalKeepsSelf() {
    AddressBook book = new AddressBook(1);
    book.put(1, "h1:1", "h1:80");
    book.put(3, "h3:3", null);
    AddressBook copy = new AddressBook(2);
    copy.mergeStored(book.toStored());
    assertThat(copy.all()).isEqualTo(book.all());
    book.remove(3);
    book.remove(1);
    assertThat(book.all()).containsOnlyKeys(1L);
  }
}
